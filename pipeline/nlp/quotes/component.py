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
5. resolve every speaker token in text order (``speakers``), so pronouns and role nouns
   point back to people already seen.

Records are plain dicts (see ``attrs.QUOTES``); partial quotes are kind ``direct`` with
only their quoted words as text, reported clauses are kind ``indirect``.
"""

import json
from typing import Any

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsmine.nlp.attrs import PEOPLE, QUOTES
from newsmine.nlp.quotes.quote_marks import QuoteSpan, find_quotes
from newsmine.nlp.quotes.reported import Cues, according_to, cue_candidates, find_reported, newline_tokens
from newsmine.nlp.quotes.speakers import NAME_LABELS, SpeakerResolver
from newsmine.rules import model_file, read_word_list

_OWN_CONTENT = frozenset({"ccomp", "xcomp", "dobj", "advcl", "conj", "attr", "acomp"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})

NO_SPEAKER: dict[str, Any] = {
    "speaker": None, "speaker_start": None, "speaker_end": None, "speaker_canonical": None,
    "speaker_id": None, "speaker_label": None, "resolution": "unresolved",
}


def read_lexicon(name: str) -> list[str]:
    """Lines of a rule-data word list under models/ (see ``paths.read_word_list``)."""
    return read_word_list(model_file(name))


class _Quote:
    """A paired quote mapped onto tokens, with its attribution once found."""

    __slots__ = ("span", "index", "ts", "te", "cue_token", "cue", "speaker_token", "intro_token", "intro_cue")

    def __init__(self, span: QuoteSpan, index: int, ts: int, te: int) -> None:
        self.span, self.index, self.ts, self.te = span, index, ts, te
        self.cue_token: int | None = None
        self.cue: str | None = None
        self.speaker_token: int | None = None
        self.intro_token: int | None = None  # speaker of the speech sentence just before
        self.intro_cue: str | None = None


class QuoteExtractor:
    """Finds quotes and their speakers; configuration names the rule-data files."""

    def __init__(self, name: str, cue_verbs: str, cue_nouns: str, clause_verbs: str,
                 role_nouns: str, org_nouns: str, pronouns: str, title_nouns: str, scare_markers: str,
                 min_unattributed_words: int, max_cue_distance: int) -> None:
        self.name = name
        self.cues = Cues(set(read_lexicon(cue_verbs)), set(read_lexicon(cue_nouns)),
                         set(read_lexicon(clause_verbs)))
        self.roles = frozenset(w.lower() for w in read_lexicon(role_nouns))
        self.org_nouns = frozenset(w.lower() for w in read_lexicon(org_nouns))
        data = json.loads(model_file(pronouns).read_text(encoding="utf-8"))
        self.pronouns = {k.lower(): v for k, v in data["pronouns"].items()}
        self.gendered = {k.lower(): v for k, v in data.get("gendered_titles", {}).items()}
        self.title_nouns = frozenset(w.lower() for w in read_lexicon(title_nouns))
        self.scare_markers = tuple(w.lower() for w in read_lexicon(scare_markers))
        self.min_unattributed_words = min_unattributed_words
        self.max_cue_distance = max_cue_distance

    # spaCy calls these so ``nlp.pipe(..., error handler)`` reports a bad doc, not dies.
    def set_error_handler(self, error_handler: Any) -> None:
        self.error_handler = error_handler

    def get_error_handler(self) -> Any:
        from spacy.util import raise_error

        return getattr(self, "error_handler", raise_error)

    def __call__(self, doc: Doc) -> Doc:
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

        reported_at = [False] * len(doc)
        for r in reported:
            for i in range(r.start, r.end):
                reported_at[i] = True
        resolver = SpeakerResolver(doc, doc._.get(PEOPLE), self.roles, self.org_nouns, self.pronouns,
                                   self.gendered, [x >= 0 for x in inside], sent_of, reported_at)
        items: list[tuple[int, str, Any]] = [(q.ts, "direct", q) for q in kept]
        items += [(r.start, "indirect", r) for r in reported]
        items.sort(key=lambda x: (x[0], x[1]))
        records: list[dict[str, Any]] = []
        previous: tuple[_Quote, dict[str, Any]] | None = None
        last: tuple[_Quote, dict[str, Any]] | None = None  # the quote just before, attributed or not
        for _, kind, item in items:
            if kind == "indirect":
                speaker = self._speaker(doc, resolver, item.speaker_token)
                start, end = doc[item.start].idx, doc[item.end - 1].idx + len(doc[item.end - 1].text)
                records.append({"kind": "indirect", "text": text[start:end], "start_char": start,
                                "end_char": end, **speaker, "cue": item.cue,
                                "sentence_id": sent_of[item.start]})
                continue
            q = item
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
                continue
            record = {"kind": "direct", "text": q.span.text(text), "start_char": q.span.start,
                      "end_char": q.span.end, **speaker, "cue": cue, "sentence_id": sent_of[q.ts]}
            records.append(record)
            last = (q, record)
            if speaker["speaker"] is not None:
                previous = (q, record)
        return records

    @staticmethod
    def _map_quotes(idx: list[int], length: list[int],
                    spans: list[QuoteSpan]) -> tuple[list[_Quote], list[int]]:
        """Token ranges of the quotes (``idx``/``length``: char offset and length of each
        token); ``inside[i]`` is the quote index of token i or -1."""
        n = len(idx)
        inside = [-1] * n
        quotes: list[_Quote] = []
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
                quotes.append(_Quote(span, k, ts, i))
        return quotes, inside

    def _is_title(self, doc: Doc, text: str, q: _Quote) -> bool:
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

    def _attribute(self, doc: Doc, q: _Quote, inside: list[int], sents: list, sent_of: list[int],
                   candidates: list[bool], cue_at: list[str | None], speech_at: list[bool]) -> None:
        """Find the cue and speaker token of one direct quote (sets them on ``q``): the
        first candidate cue with a speaker outside quotes wins, syntactic ones first."""
        found = self._syntactic_cues(doc, q, inside, cue_at)
        found += self._nearby_cues(doc, q, inside, sents, sent_of, speech_at)
        fallback: tuple[Token, str | None, Token] | None = None
        for cue_tok in found:
            source = according_to(cue_tok)
            if source is not None:
                cue, speaker = "according to", source
            else:
                cue, speaker = cue_at[cue_tok.i], self.cues.subject_of(cue_tok, inside)
                if speaker is not None and self._not_a_speaker(speaker):
                    outer = self._outer_reporter(cue_tok, inside, cue_at)
                    if outer is not None:
                        cue_tok, speaker = outer
                        cue = cue_at[cue_tok.i]
            if q.cue_token is None:
                q.cue_token, q.cue = cue_tok.i, cue
            if speaker is not None and inside[speaker.i] < 0:
                if self._not_a_speaker(speaker):  # `the council tax appealed "to ..."`: look on
                    fallback = fallback or (cue_tok, cue, speaker)
                    continue
                q.cue_token, q.cue, q.speaker_token = cue_tok.i, cue, speaker.i
                return
        if fallback is not None:  # `a new study has found`: a thing can be the source
            q.cue_token, q.cue, q.speaker_token = fallback[0].i, fallback[1], fallback[2].i
            return
        self._introduced(doc, q, inside, sents, sent_of, candidates, cue_at)

    def _not_a_speaker(self, tok: Token) -> bool:
        """A subject that names no one: a common noun that is neither an entity, a role
        (`official`, `spokesman`) nor a group noun (`talks revealed`, `data suggested`)."""
        if tok.pos_ not in ("NOUN", "ADJ", "NUM") or tok.ent_type_ in NAME_LABELS:
            return False
        lemma = tok.lemma_.lower()
        return lemma not in self.roles and lemma not in self.org_nouns

    def _outer_reporter(self, cue_tok: Token, inside: list[int],
                        cue_at: list[str | None]) -> tuple[Token, Token] | None:
        """`Williams said talks revealed there was "a strong element ..."`: a cue whose
        subject names no one, inside the content clause of another cue, reports that cue's
        speaker's words: the outer cue and its subject."""
        tok = cue_tok
        for _ in range(3):
            if tok.dep_ not in ("ccomp", "conj") or tok.head is tok:
                return None
            tok = tok.head
            if cue_at[tok.i] is None:
                continue
            subj = self.cues.subject_of(tok, inside)
            if subj is not None and not self._not_a_speaker(subj):
                return tok, subj
        return None

    def _introduced(self, doc: Doc, q: _Quote, inside: list[int], sents: list, sent_of: list[int],
                    candidates: list[bool], cue_at: list[str | None]) -> None:
        """A quote opening its sentence right after a sentence of speech without marks
        (`Errera said fans were thrilled. "It does not feel like a game."`) is by that
        sentence's speaker: the cue verb nearest the root there, if its subject resolves."""
        k = sent_of[q.ts]
        if k == 0 or sents[k].start < q.ts - 1:
            return
        best: tuple[int, Token, Token] | None = None
        prev = sents[k - 1]
        for i in range(prev.start, prev.end):
            if inside[i] >= 0 or not candidates[i] or cue_at[i] is None:
                continue
            tok = doc[i]
            subj = self.cues.subject_of(tok, inside)
            if subj is None:
                continue
            depth, node = 0, tok
            while node.head is not node and depth < 20:
                node, depth = node.head, depth + 1
            if best is None or depth < best[0]:
                best = (depth, tok, subj)
        if best is not None:
            q.intro_token, q.intro_cue = best[2].i, cue_at[best[1].i]

    def _syntactic_cues(self, doc: Doc, q: _Quote, inside: list[int],
                        cue_at: list[str | None]) -> list[Token]:
        """Cue verbs governing the quote (climbing out of it) or hanging off it, nearest first."""
        found: dict[int, tuple[int, Token]] = {}
        for i in range(q.ts, q.te):
            tok = doc[i]
            if tok.is_punct or tok.is_space:
                continue  # a mark's attachment is arbitrary: `."` hangs on whatever verb is near
            for child in tok.children:
                if inside[child.i] >= 0 or (child.dep_ == "conj" and any(
                        g.dep_ in ("nsubj", "nsubjpass") for g in child.children)):
                    continue  # `"...," and Zelenskyy insisting ...` is a clause of its own
                if according_to(child) is not None or cue_at[child.i]:
                    found.setdefault(child.i, (9, child))  # after any cue governing the quote
            head = tok.head
            if inside[head.i] == q.index or head is tok:
                continue
            steps = 1
            while steps <= 8 and inside[head.i] < 0:
                if cue_at[head.i]:
                    if head.i not in found or found[head.i][0] > steps:
                        found[head.i] = (steps, head)
                    break
                if head.head is head:
                    break
                head, steps = head.head, steps + 1
        def gap(tok: Token) -> int:
            return q.ts - tok.i if tok.i < q.ts else tok.i - q.te
        return [tok for _, tok in sorted(found.values(), key=lambda x: (x[0], gap(x[1])))]

    def _nearby_cues(self, doc: Doc, q: _Quote, inside: list[int], sents: list,
                     sent_of: list[int], speech_at: list[bool]) -> list[Token]:
        """Cues in the quote's own sentences (and the one right after it), nearest first,
        never reaching across another quote; ``speech_at[i]``: token i is a cue or
        ``according``."""
        own = {sent_of[q.ts], sent_of[q.te - 1]}
        ids = set(own)
        after = q.te + 1 if q.te < len(doc) else q.te
        if after < len(doc):
            ids.add(sent_of[after])
        found: list[tuple[int, Token]] = []
        for k in sorted(ids):
            sent = sents[k]
            for i in range(sent.start, sent.end):
                if inside[i] >= 0 or not speech_at[i]:
                    continue
                tok = doc[i]
                if k not in own and not self._bare_attribution(doc, q, tok):
                    continue
                lo, hi = (tok.i, q.ts) if tok.i < q.ts else (q.te, tok.i)
                if hi - lo > self.max_cue_distance or any(inside[j] >= 0 for j in range(lo, hi)):
                    continue
                found.append((hi - lo, tok))
        return [tok for _, tok in sorted(found, key=lambda x: (x[0], x[1].i))]

    @staticmethod
    def _bare_attribution(doc: Doc, q: _Quote, cue: Token) -> bool:
        """A cue in the sentence after a quote attributes it only when that sentence is a
        bare attribution in the same paragraph (`"..." Ms Ruiz said.`), not a clause with
        content of its own (`Henry explained why he paused ...`)."""
        if cue.dep_ != "ROOT" or any("\n" in doc[i].text or "\n" in doc[i].whitespace_
                                     for i in range(q.te - 1, cue.i)):
            return False
        for child in cue.children:
            if child.dep_ in _OWN_CONTENT and (child.dep_ != "dobj" or any(
                    t.pos_ in ("VERB", "AUX") for t in child.subtree)):
                return False
        return True

    def _continues(self, doc: Doc, prev: _Quote, q: _Quote, inside: list[int], sent_of: list[int]) -> bool:
        """Nothing but ``prev``'s own sentences (quote + attribution) lies between them."""
        own = {sent_of[prev.ts], sent_of[prev.te - 1]}
        if prev.cue_token is not None:
            own.add(sent_of[prev.cue_token])
        for i in range(prev.te, q.ts):
            tok = doc[i]
            if inside[i] >= 0 and inside[i] != prev.index:
                return False
            if not (tok.is_punct or tok.is_space) and sent_of[i] not in own:
                return False
        return True

    @staticmethod
    def _adjacent(text: str, prev: _Quote, q: _Quote) -> bool:
        """Nothing but spaces and punctuation between two quotes (same paragraph)."""
        gap = text[prev.span.end : q.span.start]
        return "\n" not in gap and all(not ch.isalnum() for ch in gap)

    def _looks_like_speech(self, doc: Doc, q: _Quote) -> bool:
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
        "cue_verbs": "quotes/cue_verbs.txt",
        "cue_nouns": "quotes/cue_nouns.txt",
        "clause_verbs": "quotes/clause_verbs.txt",
        "role_nouns": "quotes/role_nouns.txt",
        "org_nouns": "quotes/org_nouns.txt",
        "pronouns": "quotes/pronouns.json",
        "title_nouns": "quotes/title_nouns.txt",
        "scare_markers": "quotes/scare_markers.txt",
        "min_unattributed_words": 6,
        "max_cue_distance": 12,
    },
    assigns=["doc._.newsmine_quotes"],
)
def make_quotes(nlp: Language, name: str, cue_verbs: str, cue_nouns: str, clause_verbs: str, role_nouns: str,
                org_nouns: str, pronouns: str, title_nouns: str, scare_markers: str,
                min_unattributed_words: int, max_cue_distance: int) -> QuoteExtractor:
    """Build the quote extractor; file settings are paths relative to models/."""
    return QuoteExtractor(name, cue_verbs, cue_nouns, clause_verbs, role_nouns, org_nouns, pronouns,
                          title_nouns, scare_markers, min_unattributed_words, max_cue_distance)
