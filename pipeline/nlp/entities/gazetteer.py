"""Rule data of ``newsmine_entities``: the gazetteer and the word lists, read from files.

Everything here is data a user extends without touching code: add a line to
``models/entities/gazetteer.jsonl`` (``{"label": "GPE", "pattern": "Kharkiv"}`` or a
token pattern ``{"label": "ORG", "pattern": [{"LOWER": "rand"}, {"LOWER": "corp"}]}``)
and the next run tags it. Matchers are compiled once per pipeline, so matching costs
one linear pass per document.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from newsmine.nlp.entities.gender import NameGenders, read_name_genders
from newsmine.nlp.entities.names import CACHE_SIZE, AliasTable, load_aliases
from newsmine.nlp.lexicon import read_genders
from newsmine.rules import RuleDataError, RuleSource, read_json, read_jsonl, read_words


@dataclass(frozen=True)
class EntityFiles:
    """The rule files of ``newsmine_entities`` (its settings), relative to ``models/``."""

    gazetteer: str
    aliases: str
    roles: list[str]
    title_modifiers: list[str]
    honorifics: str
    speech_verbs: list[str]
    not_person: str
    org_nouns: list[str]
    work_nouns: list[str]
    org_evidence: str
    gendered_nouns: str
    first_names: str
    name_gender_certainty: float = 0.9


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The word lists next to the gazetteer (titles, honorifics, speech verbs, junk tokens).

    Frozen and hashed by identity, so the word tests below cache per lexicon with ``functools``.
    """

    roles: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    junk_exact: frozenset[str] = frozenset()
    junk_prefixes: tuple[str, ...] = ()
    aliases: AliasTable = field(default_factory=AliasTable, compare=False, hash=False)
    # words that give the gender of the name they precede or title (Mrs, actress) -> gender
    genders: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    names: NameGenders = field(default_factory=NameGenders, compare=False, hash=False)

    @classmethod
    def load(cls, source: RuleSource, files: EntityFiles) -> "Lexicon":
        """The word lists the settings name, as the entity rules compare them (lower-cased,
        except the case-sensitive credit words of ``not_person``)."""
        lower = str.lower
        junk = read_words(source, files.not_person)
        honorifics = read_json(source, files.honorifics, required=["honorifics"])["honorifics"]
        return cls(
            roles=frozenset(w.lower() for w in read_words(source, files.roles, fold=lower)),
            modifiers=frozenset(w.lower() for w in read_words(source, files.title_modifiers, fold=lower)),
            honorifics=frozenset(w.lower() for w in honorifics),
            speech_verbs=frozenset(w.lower() for w in read_words(source, files.speech_verbs, fold=lower)),
            junk_exact=frozenset(w for w in junk if not w.endswith("*")),
            junk_prefixes=tuple(w[:-1] for w in junk if w.endswith("*")),
            aliases=load_aliases(source, files.aliases),
            genders=read_genders(source, files.honorifics, files.gendered_nouns),
            names=read_name_genders(source, files.first_names, files.name_gender_certainty),
        )

    def is_title_word(self, word: str) -> bool:
        """Is ``word`` (any case) a role, a title modifier or an honorific?"""
        return _is_title_word(self, word)

    def junk_kind(self, token_text: str) -> str | None:
        """'exact' for a credit word (Getty), 'glued' for one run into another word (Imageshide)."""
        return _junk_kind(self, token_text)


@lru_cache(maxsize=CACHE_SIZE)
def _is_title_word(lex: Lexicon, word: str) -> bool:
    low = word.lower()
    return low in lex.roles or low in lex.modifiers or low in lex.honorifics


@lru_cache(maxsize=CACHE_SIZE)
def _junk_kind(lex: Lexicon, token_text: str) -> str | None:
    if token_text in lex.junk_exact:
        return "exact"
    for prefix in lex.junk_prefixes:
        if token_text.startswith(prefix):
            return "exact" if token_text == prefix else "glued"
    return None


class Gazetteer:
    """Phrase and token patterns from a JSONL file, matched case-sensitively.

    A phrase pattern also matches its all-caps form ("KYIV" in a shouted quote).
    """

    def __init__(self, nlp: Language, source: RuleSource, rel: str) -> None:
        self.labels: dict[int, str] = {}  # match key hash -> label (independent of the doc's vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = Matcher(nlp.vocab)
        self.surface: dict[str, str] = {}  # exact pattern text -> label
        seen: set[str] = set()
        for where, entry in read_jsonl(source, rel):
            if set(entry) != {"label", "pattern"}:
                raise RuleDataError(f"{where}: a gazetteer entry has exactly the keys label and pattern")
            label, pattern = entry["label"], entry["pattern"]
            key_text = f"{label}\0{pattern!r}"
            if key_text in seen:
                raise RuleDataError(f"{where}: duplicate entry {pattern!r} ({label})")
            seen.add(key_text)
            key = f"gaz_{label}"
            self.labels[nlp.vocab.strings.add(key)] = label
            if isinstance(pattern, str):
                forms = {pattern, pattern.upper()} if len(pattern) > 3 else {pattern}
                self.phrases.add(key, [nlp.make_doc(f) for f in forms])
                self.surface[pattern] = label
            else:
                self.tokens.add(key, [pattern])

    def matches(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(start, end, label)`` matches (longest wins), without Span objects."""
        found = []
        for matcher in (self.phrases, self.tokens):
            if len(matcher) == 0:
                continue
            for key, start, end in matcher(doc):
                found.append((start, end, self.labels[key]))
        return filter_offsets(found)


def filter_offsets(items: list[tuple]) -> list[tuple]:
    """``spacy.util.filter_spans`` on ``(start, end, ...)`` tuples: longest, then first, wins."""
    taken: set[int] = set()
    kept = []
    for item in sorted(items, key=lambda x: (x[1] - x[0], -x[0]), reverse=True):
        start, end = item[0], item[1]
        if start not in taken and end - 1 not in taken:
            kept.append(item)
            taken.update(range(start, end))
    return sorted(kept, key=lambda x: x[0])
