"""Paragraph breaks are sentence breaks.

The small model's parser often runs a sentence across a line break, which glues
one paragraph's attribution onto the next paragraph's quote. Marking the first
token after a newline as a sentence start before the parser runs makes the
parser respect paragraphs; it costs one array lookup per document.
"""

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc


class ParagraphBreaks(Pipe):
    """Marks the token after a line break as a sentence start (no rule data, no settings)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spaces = doc.to_array(IS_SPACE).nonzero()[0].tolist()
        last = len(doc) - 1
        for i in spaces:
            if i < last and "\n" in doc[i].text and not doc[i + 1].is_space:
                doc[i + 1].is_sent_start = True
        return doc


@Language.factory("newsmine_paragraphs", default_config={}, assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
    """Build the component (it runs before the parser, see ``models/pipeline.toml``)."""
    return ParagraphBreaks(name)
