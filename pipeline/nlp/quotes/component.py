"""The ``newsmine_quotes`` component: direct, partial and reported quotes with speakers.

Pipeline per Doc (each step linear in its length):

1. pair the double quote marks of ``doc.text`` (``quote_marks``), which is robust to
   apostrophes, glued marks and multi-paragraph quotes;
2. drop titles and scare quotes (``the so-called "deal"``, ``the song "Imagine"``);
3. attribute each quote to a cue: first through the parse (a cue verb above the quote,
   or ``according to``/a cue verb hanging off the quote), else the nearest cue in the
   quote's sentences; a quote without a cue continues the previous quote's speaker when
   nothing but that quote's attribution lies between them (``"A," he said. "B."``);
4. add reported attributions without marks (``reported``: speech verbs with a clause,
   and the cue frames of the lexicon), each with its cue type;
5. one row per attribution (``relations``): reported content holding quoted words is one
   ``mixed`` row (its verbatim parts in ``quoted``), and those quotes get no row of
   their own; content that is nothing but a quote leaves it a ``direct`` row;
6. resolve every speaker token (``speakers``): one salience pass over the article's
   mentions first, so pronouns and role nouns point to the people written about before them.
   A reported (``indirect``) row needs a source that can speak: with none (`it was
   announced that ...`) or one that names no one (`nobody said ...`, `the talks showed
   ...`) there is no attribution, and no row.

Records are plain dicts (see ``attrs.QUOTES``): kind ``direct`` (wholly quoted),
``indirect`` (no quoted words) or ``mixed``; ``cue_type`` is speech, thought,
intention, evidence (a poll, report or data is the source) or according_to.
"""

from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, LOWER
from spacy.language import Language
from spacy.tokens import Doc

from newsmine.nlp.attrs import PEOPLE, QUOTES, doc_text
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.lexicon import read_genders, read_pronouns
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.attribution import Attribution, PairedQuote
from newsmine.nlp.quotes.columns import COL
from newsmine.nlp.quotes.cues import Cues, according_to, cue_candidates
from newsmine.nlp.quotes.frames import CUE_TYPES, PATTERNS, FrameLexicon
from newsmine.nlp.quotes.quote_marks import QuoteSpan, find_quotes
from newsmine.nlp.quotes.relations import Relation, drop_nested, merge_split, settle
from newsmine.nlp.quotes.reported import find_reported, newline_tokens
from newsmine.nlp.quotes.roles import SpeakerRules
from newsmine.nlp.quotes.speakers import SpeakerResolver
from newsmine.rules import RuleDataError, RuleSource, read_json, read_word_set, read_words

_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
_ACCORDING = columns.sid("according")

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
    cue_frames: str
    evidence_nouns: list[str]
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
        self.frames = FrameLexicon(_read_frames(source, f.cue_frames))
        self.evidence_nouns = read_word_set(source, f.evidence_nouns)
        self.speaker_rules = SpeakerRules.load(source, f.speakers, self.roles)

    def process(self, doc: Doc) -> Doc:
        doc._.set(QUOTES, self.extract(doc))
        return doc

    # -- the steps ---------------------------------------------------------------------
    def extract(self, doc: Doc) -> list[dict[str, Any]]:
        """All quote records of ``doc``, direct, mixed and reported ones, in text order."""
        with columns.bound(doc):
            return self._extract(doc)

    def _extract(self, doc: Doc) -> list[dict[str, Any]]:
        text = doc_text(doc)
        n = len(doc)
        cols = columns.of(doc)
        idx, length = cols.arr[:, COL[IDX]].tolist(), cols.arr[:, COL[LENGTH]].tolist()
        quotes, inside = self._map_quotes(idx, length, find_quotes(text))
        sent_of = [0] * n
        sents = list(doc.sents) if n else []
        for k, sent in enumerate(sents):
            sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        kept = [q for q in quotes if not self._is_title(doc, text, q)]
        candidates = cue_candidates(doc)
        cue_at = self.cues.cues_at(doc, candidates)  # cue_of of every token, computed once
        speech_at = [c is not None for c in cue_at]
        for i in numpy.flatnonzero(cols.arr[:, COL[LOWER]] == _ACCORDING).tolist():  # a Token only for those
            speech_at[i] = speech_at[i] or according_to(doc[i]) is not None
        for q in kept:
            self._attribute(doc, q, inside, sents, sent_of, candidates, cue_at, speech_at)
        reported = find_reported(doc, self.cues, inside, candidates, newline_tokens(doc, text, idx), cue_at,
                                 self.frames)
        relations, held, whole = settle(doc, reported, quotes, inside)
        for q in kept:
            r = whole.get(q.index)
            if r is not None and q.speaker_token is None and q.cue_token is None \
                    and r.speaker_token is not None:
                q.cue_token, q.cue, q.speaker_token = r.cue_token, r.cue, r.speaker_token
        reported_at = [False] * n
        for rel in relations:
            for i in range(rel.start, rel.end):
                reported_at[i] = True
        resolver = SpeakerResolver(doc, doc._.get(PEOPLE), self.roles, self.org_nouns, self.pronouns,
                                   self.gendered, [x >= 0 for x in inside], sent_of, reported_at,
                                   rules=self.speaker_rules)
        return self._records(doc, text, kept, relations, held, resolver, inside, sent_of)

    def _records(self, doc: Doc, text: str, kept: list[PairedQuote], relations: list[Relation],
                 held: set[int], resolver: SpeakerResolver, inside: list[int],
                 sent_of: list[int]) -> list[dict[str, Any]]:
        """Resolve every speaker in text order, so pronouns and roles see the people before
        them. A quote a mixed row holds gets no row, but later quotes can continue it."""
        items: list[tuple[int, int, Any]] = [(q.ts, 1, q) for q in kept]
        items += [(r.start, 0, r) for r in relations]
        items.sort(key=lambda x: (x[0], x[1]))
        records: list[dict[str, Any]] = []
        previous: tuple[PairedQuote, dict[str, Any]] | None = None
        last: tuple[PairedQuote, dict[str, Any]] | None = None  # the quote just before, attributed or not
        holder: dict[int, dict[str, Any]] = {}  # quote index -> the mixed record holding it
        for _, is_quote, item in items:
            if not is_quote:
                record = self._relation(doc, text, item, resolver, sent_of)
                if record["kind"] == "indirect" and record["speaker"] is None:
                    continue  # reported words with no one to report them (`nobody said`, no source)
                records.append(record)
                for k in item.quotes:
                    holder.setdefault(k, record)
                continue
            if item.index in held:
                record = holder[item.index]
                last = (item, record)
                if record["speaker"] is not None:
                    previous = (item, record)
                continue
            record = self._direct(doc, text, item, resolver, previous, last, inside, sent_of)
            if record is None:
                continue
            if record["speaker"] is None:
                _nearest_speaker(text, records, record)
            records.append(record)
            last = (item, record)
            if record["speaker"] is not None:
                previous = (item, record)
        return merge_split(drop_nested(records), text)

    def _relation(self, doc: Doc, text: str, rel: Relation, resolver: SpeakerResolver,
                  sent_of: list[int]) -> dict[str, Any]:
        """The record of a reported relation, ``indirect`` or ``mixed``."""
        r = rel.reported
        speaker = self._speaker(doc, resolver, r.speaker_token, r.cue_token)
        start, end = doc[rel.start].idx, doc[rel.end - 1].idx + len(doc[rel.end - 1].text)
        quoted = [list(span) for span in rel.spans]
        return {"kind": rel.kind, "text": text[start:end], "start_char": start, "end_char": end,
                **speaker, "cue": r.cue, **_cue_where(doc, r.cue_token),
                "cue_type": self._cue_type(doc, r.cue_type, r.speaker_token),
                "quoted": quoted, "sentence_id": sent_of[rel.start]}

    def _cue_type(self, doc: Doc, kind: str, source: int | None) -> str:
        """``evidence`` when a poll, report or data is the source, else the cue's own type."""
        if kind != "according_to" and source is not None \
                and doc[source].lemma_.lower() in self.evidence_nouns:
            return "evidence"
        return kind

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
            speaker = self._speaker(doc, resolver, q.speaker_token, q.cue_token)
            if adjacent and last[1]["speaker"] is None and last[1]["kind"] == "direct" \
                    and q.cue_token is not None and q.cue_token > q.te:
                # `"A" "B" said the winger`: A shares the speaker of the cue after B
                last[1].update({k: speaker[k] for k in NO_SPEAKER}, resolution="continuation",
                               cue=q.cue, **_cue_where(doc, q.cue_token))
        elif previous is not None and self._continues(doc, previous[0], q, inside, sent_of):
            speaker = {k: previous[1][k] for k in NO_SPEAKER}
            speaker["resolution"] = "continuation"
            cue = cue or previous[1]["cue"]
        elif q.intro_token is not None:
            speaker = self._speaker(doc, resolver, q.intro_token, None)
            cue = cue or q.intro_cue
        elif q.cue_token is not None or self._looks_like_speech(doc, q):
            speaker = dict(NO_SPEAKER)
        else:
            return None
        where = _cue_where(doc, q.cue_token if q.speaker_token is not None else None)
        if speaker["resolution"] == "continuation" and previous is not None:
            kind = previous[1]["cue_type"]
            kind = kind if kind in ("evidence", "according_to") else "speech"
            where = {k: previous[1][k] for k in ("cue_start", "cue_end")}
        else:
            kind = self._cue_type(doc, "according_to" if cue == "according to" else "speech", q.speaker_token)
        return {"kind": "direct", "text": q.span.text(text), "start_char": q.span.start,
                "end_char": q.span.end, **speaker, "cue": cue, **where, "cue_type": kind,
                "quoted": [[q.span.start, q.span.end]], "sentence_id": sent_of[q.ts]}

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
        cols = columns.of(doc)
        j = q.ts - 1
        while j >= 0 and (cols.punct[j] or cols.space[j]):
            j -= 1
        gap = text[doc[j].idx + len(doc[j].text) : q.span.open] if j >= 0 else ""
        if j >= 0 and doc[j].pos_ not in ("VERB", "AUX") and doc[j].lower_ in self.title_nouns \
                and len(gap) <= 3 and not any(ch in gap for ch in ":.!?"):
            return True
        root = doc[q.ts : q.te].root
        words = sum(1 for k in range(q.ts, q.te) if not (cols.punct[k] or cols.space[k]))
        if words == 1:  # a word-sized scare quote modifying a noun: appoint "roving" reps
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

    @staticmethod
    def _speaker(doc: Doc, resolver: SpeakerResolver, token: int | None, cue: int | None) -> dict[str, Any]:
        """The resolver's speaker fields (``speaker`` is the source as written there)."""
        if token is None:
            return dict(NO_SPEAKER)
        return dict(resolver.resolve(doc[token]))


def _nearest_speaker(text: str, records: list[dict[str, Any]], record: dict[str, Any]) -> None:
    """A quote no cue or layout attributes goes to the speaker of the nearest row before
    it, when that row ends at most two paragraphs earlier (resolution ``nearest``): in
    news a stray quote is almost always the last speaker's."""
    for before in reversed(records):
        if before["speaker"] is None:
            continue
        if text.count("\n\n", before["end_char"], record["start_char"]) + \
                (text.count("\n", before["end_char"], record["start_char"]) if "\n\n" not in text else 0) > 2:
            return
        record.update({k: before[k] for k in NO_SPEAKER}, resolution="nearest")
        return


def _cue_where(doc: Doc, token: int | None) -> dict[str, int | None]:
    """``cue_start``/``cue_end`` of the cue token (``according to``: both words)."""
    if token is None:
        return {"cue_start": None, "cue_end": None}
    tok = doc[token]
    last = doc[token + 1] if tok.lower_ == "according" and token + 1 < len(doc) else tok
    return {"cue_start": tok.idx, "cue_end": last.idx + len(last.text)}


def _read_frames(source: RuleSource, rel: str) -> dict[str, dict[str, str]]:
    """The cue frames file: pattern -> {key: cue type}, every type one of ``CUE_TYPES``."""
    data = read_json(source, rel, optional=PATTERNS)
    for pattern, keys in data.items():
        if not isinstance(keys, dict):
            raise RuleDataError(f"{source.where(rel)}: {pattern!r} must map cue keys to cue types")
        for key, kind in keys.items():
            if kind not in CUE_TYPES:
                raise RuleDataError(f"{source.where(rel)}: {pattern} {key!r}: unknown cue type {kind!r} "
                                    f"(known: {sorted(CUE_TYPES)})")
    return data


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
        "cue_frames": "quotes/cue_frames.json",
        "evidence_nouns": ["quotes/evidence_nouns.txt"],
        "speakers": "quotes/speakers.json",
        "min_unattributed_words": 6,
        "max_cue_distance": 12,
    },
    assigns=["doc._.newsmine_quotes"],
)
def make_quotes(
    nlp: Language, name: str, *, cue_verbs: list[str], cue_nouns: list[str], clause_verbs: list[str],
    roles: list[str], org_nouns: list[str], pronouns: str, honorifics: str, gendered_nouns: str,
    title_nouns: list[str], scare_markers: list[str], cue_frames: str, evidence_nouns: list[str],
    min_unattributed_words: int, max_cue_distance: int, speakers: str = "quotes/speakers.json",
) -> QuoteExtractor:
    """Build the quote extractor; file settings are paths relative to ``models/``."""
    files = QuoteFiles(list(cue_verbs), list(cue_nouns), list(clause_verbs), list(roles), list(org_nouns),
                       pronouns, honorifics, gendered_nouns, list(title_nouns), list(scare_markers),
                       cue_frames, list(evidence_nouns), speakers)
    return QuoteExtractor(nlp, name, files=files, min_unattributed_words=min_unattributed_words,
                          max_cue_distance=max_cue_distance)
