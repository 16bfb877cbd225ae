"""Rule data of ``newsmine_entities``: the gazetteer and the word lists, read from files.

Everything here is data a user extends without touching code: add a line to
``models/entities/gazetteer.jsonl`` (``{"label": "GPE", "pattern": "Kharkiv"}`` or a
token pattern ``{"label": "ORG", "pattern": [{"LOWER": "rand"}, {"LOWER": "corp"}]}``)
and the next run tags it. Matchers are compiled once per pipeline, so matching costs
one linear pass per document.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from newsmine.nlp.entities.names import AliasTable
from newsmine.rules import model_file, read_word_list


def _read_words(path: Path, lower: bool = True) -> list[str]:
    words = read_word_list(path)
    return [w.lower() for w in words] if lower else words


@dataclass
class Lexicon:
    """The word lists next to the gazetteer (titles, honorifics, speech verbs, junk tokens)."""

    roles: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    junk_exact: frozenset[str] = frozenset()
    junk_prefixes: tuple[str, ...] = ()
    aliases: AliasTable = field(default_factory=AliasTable)

    @classmethod
    def from_dir(cls, folder: Path) -> "Lexicon":
        titles_path = folder / "titles.json"
        titles = json.loads(titles_path.read_text(encoding="utf-8")) if titles_path.exists() else {}
        junk = _read_words(folder / "not_person.txt", lower=False)
        return cls(
            roles=frozenset(w.lower() for w in titles.get("roles", [])),
            modifiers=frozenset(w.lower() for w in titles.get("modifiers", [])),
            honorifics=frozenset(_read_words(folder / "honorifics.txt")),
            speech_verbs=frozenset(_read_words(folder / "speech_verbs.txt")),
            junk_exact=frozenset(w for w in junk if not w.endswith("*")),
            junk_prefixes=tuple(w[:-1] for w in junk if w.endswith("*")),
            aliases=AliasTable.from_file(folder / "aliases.json"),
        )

    def __post_init__(self) -> None:
        self._title_cache: dict[str, bool] = {}
        self._junk_cache: dict[str, str | None] = {}

    def is_title_word(self, word: str) -> bool:
        hit = self._title_cache.get(word)
        if hit is None:
            low = word.lower()
            hit = low in self.roles or low in self.modifiers or low in self.honorifics
            if len(self._title_cache) > 200_000:
                self._title_cache.clear()
            self._title_cache[word] = hit
        return hit

    def junk_kind(self, token_text: str) -> str | None:
        """'exact' for a credit word (Getty), 'glued' for one run into another word (Imageshide)."""
        try:
            return self._junk_cache[token_text]
        except KeyError:
            pass
        if len(self._junk_cache) > 200_000:
            self._junk_cache.clear()
        kind = self._junk_cache[token_text] = self._junk_kind(token_text)
        return kind

    def _junk_kind(self, token_text: str) -> str | None:
        if token_text in self.junk_exact:
            return "exact"
        for prefix in self.junk_prefixes:
            if token_text.startswith(prefix):
                return "exact" if token_text == prefix else "glued"
        return None


class Gazetteer:
    """Phrase and token patterns from a JSONL file, matched case-sensitively.

    A phrase pattern also matches its all-caps form ("KYIV" in a shouted quote).
    """

    def __init__(self, nlp: Language, path: Path) -> None:
        self.labels: dict[int, str] = {}  # match key hash -> label (independent of the doc's vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = Matcher(nlp.vocab)
        self.surface: dict[str, str] = {}  # exact pattern text -> label
        if not path.exists():
            return
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("//"):
                continue
            try:
                entry = json.loads(line)
                label, pattern = entry["label"], entry["pattern"]
            except (ValueError, KeyError) as err:
                raise ValueError(f"{path}:{lineno}: bad gazetteer entry ({err})") from err
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


def data_dir(configured: str) -> Path:
    """The rule-data folder: the component's ``data_dir`` config, else ``models/entities``."""
    return Path(configured) if configured else model_file("entities")
