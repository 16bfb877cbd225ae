"""The ``newsmine_quotes`` component: direct, partial and reported quotes with speakers.

Pipeline per Doc (each step linear in its length):

1. pair the double quote marks of ``doc.text`` (``quote_marks``), which is robust to
   apostrophes, glued marks and multi-paragraph quotes;
2. drop titles and scare quotes (``the so-called "deal"``, ``the song "Imagine"``);
3. attribute each quote to a cue: first through the parse (a cue verb above the quote,
   or ``according to``/a cue verb hanging off the quote), else the nearest cue in the
   quote's sentences; a quote without a cue continues the previous quote's speaker when
   nothing but that quote's attribution lies between them (``"A," he said. "B."``);
4. add reported speech without marks (``reported``);
5. resolve every speaker token (``speakers``): one salience pass over the article's
   mentions first, so pronouns and role nouns point to the people written about before them.

Records are plain dicts (see ``attrs.QUOTES``); partial quotes are kind ``direct`` with
only their quoted words as text, reported clauses are kind ``indirect``.
"""

from dataclasses import dataclass
from typing import Any

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from newsmine.nlp.attrs import PEOPLE, QUOTES
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.lexicon import read_genders, read_pronouns
from newsmine.nlp.quotes.attribution import Attribution, PairedQuote
from newsmine.nlp.quotes.cues import Cues, according_to, cue_candidates
from newsmine.nlp.quotes.quote_marks import QuoteSpan, find_quotes
from newsmine.nlp.quotes.reported import Reported, find_reported, newline_tokens
from newsmine.nlp.quotes.roles import SpeakerRules
from newsmine.nlp.quotes.speakers import SpeakerResolver
from newsmine.rules import RuleSource, read_word_set, read_words

_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})

NO_SPEAKER: dict[str, Any] = {
    "speaker": None, "speaker_start": None, "speaker_end": None, "speaker_canonical": None,
    "speaker_id": None, "speaker_label": None, "resolution": "unresolved",
}


@dataclass(frozen=True)
class QuoteFiles:
    """The rule files of ``newsmine_quotes`` (its settings), relative to ``models/``."""

    cue_verbs: list[str]
    cue_nouns: list[str]
    clause_verbs: list[str]
    roles: list[str]
    org_nouns: list[str]
    pronouns: str
    honorifics: str
    gendered_nouns: str
    title_nouns: list[str]
    scare_markers: list[str]
    speakers: str = "quotes/speakers.json"


_Attributed = tuple[PairedQuote, dict[str, Any]]  # a quote and the record made of it


class QuoteExtractor(Attribution, RuleComponent):
    """Finds quotes and their speakers; the settings name the rule-data files."""

    def __init__(self, nlp: Language, name: str, *, files: QuoteFiles, min_unattributed_words: int,
                 max_cue_distance: int) -> None:
        super().__init__(nlp, name)
        self.files = files
        self.min_unattributed_words = min_unattributed_words
        self.max_cue_distance = max_cue_distance

    def load_rules(self, source: RuleSource) -> None:
        f = self.files
        self.cues = Cues(read_word_set(source, f.cue_verbs), read_word_set(source, f.cue_nouns),
                         read_word_set(source, f.clause_verbs))
        self.roles = read_word_set(source, f.roles)
        self.org_nouns = read_word_set(source, f.org_nouns)
        self.pronouns = read_pronouns(source, f.pronouns)
        self.gendered = read_genders(source, f.honorifics, f.gendered_nouns)
        self.title_nouns = read_word_set(source, f.title_nouns)
        self.scare_markers = tuple(w.lower() for w in read_words(source, f.scare_markers, fold=str.lower))
        self.speaker_rules = SpeakerRules.load(source, f.speakers, self.roles)

    def process(self, doc: Doc) -> Doc:
        doc._.set(QUOTES, self.extract(doc))
        return doc

    # -- the steps ---------------------------------------------------------------------
    def extract(self, doc: Doc) -> list[dict[str, Any]]:
        """All quote records of ``doc``, direct ones and reported ones, in text order."""
        text = doc.text
        n = len(doc)
        if n:
            arr = doc.to_array([IDX, LENGTH])
            idx, length = arr[:, 0].tolist(), arr[:, 1].tolist()
        else:
            idx, length = [], []
        quotes, inside = self._map_quotes(idx, length, find_quotes(text))
        sent_of = [0] * n
        sents = list(doc.sents) if n else []
        for k, sent in enumerate(sents):
            sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        kept = [q for q in quotes if not self._is_title(doc, text, q)]
        candidates = cue_candidates(doc)
        cue_at = self.cues.cues_at(doc, candidates)  # cue_of of every token, computed once
        speech_at = [c is not None or (maybe and according_to(doc[i]) is not None)
                     for i, (maybe, c) in enumerate(zip(candidates, cue_at, strict=True))]
        for q in kept:
            self._attribute(doc, q, inside, sents, sent_of, candidates, cue_at, speech_at)
        reported = find_reported(doc, self.cues, inside, candidates, newline_tokens(doc, text, idx), cue_at)
        reported_at = [False] * n
        for r in reported:
            for i in range(r.start, r.end):
                reported_at[i] = True
        resolver = SpeakerResolver(doc, doc._.get(PEOPLE), self.roles, self.org_nouns, self.pronouns,
                                   self.gendered, [x >= 0 for x in inside], sent_of, reported_at,
                                   rules=self.speaker_rules)
        return self._records(doc, text, kept, reported, resolver, inside, sent_of)

    def _records(self, doc: Doc, text: str, kept: list[PairedQuote], reported: list[Reported],
                 resolver: SpeakerResolver, inside: list[int], sent_of: list[int]) -> list[dict[str, Any]]:
        """Resolve every speaker in text order, so pronouns and roles see the people before them."""
        items: list[tuple[int, str, Any]] = [(q.ts, "direct", q) for q in kept]
        items += [(r.start, "indirect", r) for r in reported]
        items.sort(key=lambda x: (x[0], x[1]))
        records: list[dict[str, Any]] = []
        previous: tuple[PairedQuote, dict[str, Any]] | None = None
        last: tuple[PairedQuote, dict[str, Any]] | None = None  # the quote just before, attributed or not
        for _, kind, item in items:
            if kind == "indirect":
                speaker = self._speaker(doc, resolver, item.speaker_token)
                start, end = doc[item.start].idx, doc[item.end - 1].idx + len(doc[item.end - 1].text)
                records.append({"kind": "indirect", "text": text[start:end], "start_char": start,
                                "end_char": end, **speaker, "cue": item.cue,
                                "sentence_id": sent_of[item.start]})
                continue
            record = self._direct(doc, text, item, resolver, previous, last, inside, sent_of)
            if record is None:
                continue
            records.append(record)
            last = (item, record)
            if record["speaker"] is not None:
                previous = (item, record)
        return records

    def _direct(self, doc: Doc, text: str, q: PairedQuote, resolver: SpeakerResolver,
                previous: _Attributed | None, last: _Attributed | None,
                inside: list[int], sent_of: list[int]) -> dict[str, Any] | None:
        """The record of one direct quote, its speaker found, continued or introduced; None
        for an unattributed quote that does not read like speech."""
        cue = q.cue
        adjacent = last is not None and self._adjacent(text, last[0], q)
        if adjacent and previous is not None and previous[0] is last[0] and q.cue_token is not None \
                and q.cue_token >= q.te and q.span.text(text).rstrip()[-1:] == ".":
            # `told the BBC: "A. "B." On Tuesday a meeting agreed ...`: B goes on with A,
            # not with a cue in the next sentence
            q.speaker_token, q.cue_token, q.cue = None, None, None
        if q.speaker_token is not None:
            speaker = self._speaker(doc, resolver, q.speaker_token)
            if adjacent and last[1]["speaker"] is None and last[1]["kind"] == "direct" \
                    and q.cue_token is not None and q.cue_token > q.te:
                # `"A" "B" said the winger`: A shares the speaker of the cue after B
                last[1].update({k: speaker[k] for k in NO_SPEAKER}, resolution="continuation",
                               cue=q.cue)
        elif previous is not None and self._continues(doc, previous[0], q, inside, sent_of):
            speaker = {k: previous[1][k] for k in NO_SPEAKER}
            speaker["resolution"] = "continuation"
            cue = cue or previous[1]["cue"]
        elif q.intro_token is not None:
            speaker = self._speaker(doc, resolver, q.intro_token)
            cue = cue or q.intro_cue
        elif q.cue_token is not None or self._looks_like_speech(doc, q):
            speaker = dict(NO_SPEAKER)
        else:
            return None
        return {"kind": "direct", "text": q.span.text(text), "start_char": q.span.start,
                "end_char": q.span.end, **speaker, "cue": cue, "sentence_id": sent_of[q.ts]}

    @staticmethod
    def _map_quotes(idx: list[int], length: list[int],
                    spans: list[QuoteSpan]) -> tuple[list[PairedQuote], list[int]]:
        """Token ranges of the quotes (``idx``/``length``: char offset and length of each
        token); ``inside[i]`` is the quote index of token i or -1."""
        n = len(idx)
        inside = [-1] * n
        quotes: list[PairedQuote] = []
        i = 0
        for k, span in enumerate(spans):
            while i < n and idx[i] + length[i] <= span.start:
                i += 1
            if i < n and idx[i] < span.start:
                i += 1  # a token glued to the opening mark (`saying"we`) is not quoted
            ts = i
            while i < n and idx[i] < span.end:
                inside[i] = k
                i += 1
            if i > ts:
                quotes.append(PairedQuote(span, k, ts, i))
        return quotes, inside

    def _is_title(self, doc: Doc, text: str, q: PairedQuote) -> bool:
        """A name, title or scare quote rather than someone's words."""
        before = text[max(0, q.span.open - 30) : q.span.open].lower().rstrip(" ,\u00a0")
        for marker in self.scare_markers:
            if before.endswith(marker) and not before[: -len(marker)][-1:].isalnum():
                return True
        j = q.ts - 1
        while j >= 0 and (doc[j].is_punct or doc[j].is_space):
            j -= 1
        gap = text[doc[j].idx + len(doc[j].text) : q.span.open] if j >= 0 else ""
        if j >= 0 and doc[j].pos_ not in ("VERB", "AUX") and doc[j].lower_ in self.title_nouns \
                and len(gap) <= 3 and not any(ch in gap for ch in ":.!?"):
            return True
        root = doc[q.ts : q.te].root
        words = [t for t in doc[q.ts : q.te] if not (t.is_punct or t.is_space)]
        if len(words) == 1:  # a word-sized scare quote modifying a noun: appoint "roving" reps
            if root.dep_ in _MODIFIER_DEPS and not (q.ts <= root.head.i < q.te):
                return True
            k = q.te
            while k < len(doc) and doc[k].is_punct and doc[k].idx < (q.span.close or q.span.end) + 1:
                k += 1
            if k < len(doc) and k > q.te and doc[k].pos_ == "NOUN" and doc[k].is_lower \
                    and not doc[k - 1].whitespace_.count("\n"):
                return True
        return root.dep_ == "appos" and root.head.lower_ in self.title_nouns

    def _looks_like_speech(self, doc: Doc, q: PairedQuote) -> bool:
        """An unattributed quote is kept only if it reads like speech, not like a title."""
        words = [t for t in doc[q.ts : q.te] if t.is_alpha]
        if len(words) < self.min_unattributed_words:
            return False
        long_words = [t for t in words if len(t) > 3]
        return not long_words or not all(t.text[0].isupper() for t in long_words)

    def _speaker(self, doc: Doc, resolver: SpeakerResolver, token: int | None) -> dict[str, Any]:
        if token is None:
            return dict(NO_SPEAKER)
        return resolver.resolve(doc[token])


@Language.factory(
    "newsmine_quotes",
    default_config={
        "cue_verbs": ["lexicon/speech_verbs.txt", "lexicon/reporting_verbs.txt", "quotes/cue_verbs.txt"],
        "cue_nouns": ["quotes/cue_nouns.txt"],
        "clause_verbs": ["quotes/clause_verbs.txt"],
        "roles": ["lexicon/roles.txt", "quotes/roles.txt"],
        "org_nouns": ["lexicon/org_nouns.txt", "quotes/org_nouns.txt"],
        "pronouns": "lexicon/pronouns.json",
        "honorifics": "lexicon/honorifics.json",
        "gendered_nouns": "lexicon/gendered_nouns.json",
        "title_nouns": ["lexicon/work_nouns.txt", "quotes/title_nouns.txt"],
        "scare_markers": ["quotes/scare_markers.txt"],
        "speakers": "quotes/speakers.json",
        "min_unattributed_words": 6,
        "max_cue_distance": 12,
    },
    assigns=["doc._.newsmine_quotes"],
)
def make_quotes(
    nlp: Language, name: str, *, cue_verbs: list[str], cue_nouns: list[str], clause_verbs: list[str],
    roles: list[str], org_nouns: list[str], pronouns: str, honorifics: str, gendered_nouns: str,
    title_nouns: list[str], scare_markers: list[str], min_unattributed_words: int, max_cue_distance: int,
    speakers: str = "quotes/speakers.json",
) -> QuoteExtractor:
    """Build the quote extractor; file settings are paths relative to ``models/``."""
    files = QuoteFiles(list(cue_verbs), list(cue_nouns), list(clause_verbs), list(roles), list(org_nouns),
                       pronouns, honorifics, gendered_nouns, list(title_nouns), list(scare_markers), speakers)
    return QuoteExtractor(nlp, name, files=files, min_unattributed_words=min_unattributed_words,
                          max_cue_distance=max_cue_distance)
