"""How ``newsmine_quotes`` attributes one direct quote: the cue and the speaker token.

First through the parse (a cue verb above the quote, or ``according to``/a cue verb
hanging off it), else the nearest cue in the quote's own sentences (or a bare
attribution right after it); a subject that names no one (``talks revealed``) hands
over to the cue it is reported by; a quote opening the sentence after speech without
marks is by that sentence's speaker. ``Attribution`` is a mixin of ``QuoteExtractor``:
it reads the cue lexicons the component loaded.
"""

from spacy.tokens import Doc, Token

from newsmine.nlp.labels import SPEAKER_LABELS
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.cues import Cues, according_to
from newsmine.nlp.quotes.layouts import after_quote, before_quote, colon_intro, credit_line, label_speaker
from newsmine.nlp.quotes.quote_marks import QuoteSpan

_OWN_CONTENT = frozenset({"ccomp", "xcomp", "dobj", "advcl", "conj", "attr", "acomp"})


class PairedQuote:
    """A paired quote mapped onto tokens, with its attribution once found."""

    __slots__ = ("span", "index", "ts", "te", "cue_token", "cue", "speaker_token", "intro_token", "intro_cue")

    def __init__(self, span: QuoteSpan, index: int, ts: int, te: int) -> None:
        self.span, self.index, self.ts, self.te = span, index, ts, te
        self.cue_token: int | None = None
        self.cue: str | None = None
        self.speaker_token: int | None = None
        self.intro_token: int | None = None  # speaker of the speech sentence just before
        self.intro_cue: str | None = None


class Attribution:
    """The attribution steps (see module doc); state lives on the ``PairedQuote``, not on self."""

    cues: Cues
    roles: frozenset[str]
    org_nouns: frozenset[str]
    max_cue_distance: int

    def _attribute(self, doc: Doc, q: PairedQuote, inside: list[int], sents: list, sent_of: list[int],
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
        if not self._laid_out(doc, q, inside):
            self._introduced(doc, q, inside, sents, sent_of, candidates, cue_at)

    def _laid_out(self, doc: Doc, q: PairedQuote, inside: list[int]) -> bool:
        """The speaker from the quote's layout (``layouts``): a label, a bare attribution
        with any verb, a colon introduction, a credit line. Sets them on ``q``."""
        open_tok = q.ts - 1 if q.ts > 0 and doc[q.ts - 1].idx <= q.span.open else None
        label = label_speaker(doc, q.ts, open_tok)
        if label is not None:
            q.speaker_token, q.cue = label.i, q.cue or ":"
            return True
        found = after_quote(doc, q.te, inside) if q.cue_token is None else None
        found = found or before_quote(doc, open_tok, inside)
        if found is not None:
            q.cue_token, q.cue, q.speaker_token = found[0].i, found[0].lemma_.lower(), found[1].i
            return True
        intro = colon_intro(doc, open_tok, inside, self.cues.nouns)
        if intro is not None:
            q.speaker_token, q.cue = intro.i, q.cue or ":"
            return True
        credit = credit_line(doc, q.te)
        if credit is not None:
            q.speaker_token, q.cue = credit.i, q.cue or "credit"
            return True
        return False

    def _not_a_speaker(self, tok: Token) -> bool:
        """A subject that names no one: a common noun that is neither an entity, a role
        (`official`, `spokesman`) nor a group noun (`talks revealed`, `data suggested`)."""
        if tok.pos_ not in ("NOUN", "ADJ", "NUM") or tok.ent_type_ in SPEAKER_LABELS:
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
            if tok.dep_ not in ("ccomp", "conj") or tok.head.i == tok.i:
                return None
            tok = tok.head
            if cue_at[tok.i] is None:
                continue
            subj = self.cues.subject_of(tok, inside)
            if subj is not None and not self._not_a_speaker(subj):
                return tok, subj
        return None

    def _introduced(self, doc: Doc, q: PairedQuote, inside: list[int], sents: list, sent_of: list[int],
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
            if subj is None or self._not_a_speaker(subj):  # `Repairs began last week.` says nothing
                continue
            depth, node = 0, tok
            while node.head.i != node.i and depth < 20:
                node, depth = node.head, depth + 1
            if best is None or depth < best[0]:
                best = (depth, tok, subj)
        if best is not None:
            q.intro_token, q.intro_cue = best[2].i, cue_at[best[1].i]

    def _syntactic_cues(self, doc: Doc, q: PairedQuote, inside: list[int],
                        cue_at: list[str | None]) -> list[Token]:
        """Cue verbs governing the quote (climbing out of it) or hanging off it, nearest
        first. Walks the head and punctuation columns: a Token only for what is found."""
        cols = columns.of(doc)
        kids = cols.children_outside(inside)
        head_of, punct, space = cols.head, cols.punct, cols.space
        found: dict[int, int] = {}  # cue token -> steps
        for i in range(q.ts, q.te):
            if punct[i] or space[i]:
                continue  # a mark's attachment is arbitrary: `."` hangs on whatever verb is near
            for c in kids.get(i, ()):
                child = doc[c]
                if child.dep_ == "conj" and any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
                    continue  # `"...," and Zelenskyy insisting ...` is a clause of its own
                if according_to(child) is not None or cue_at[c]:
                    found.setdefault(c, 9)  # after any cue governing the quote
            head = head_of[i]
            if inside[head] == q.index or head == i:
                continue
            steps = 1
            while steps <= 8 and inside[head] < 0:
                if cue_at[head]:
                    if head not in found or found[head] > steps:
                        found[head] = steps
                    break
                if head_of[head] == head:
                    break
                head, steps = head_of[head], steps + 1

        def gap(i: int) -> int:
            return q.ts - i if i < q.ts else i - q.te
        return [doc[i] for i, _ in sorted(found.items(), key=lambda x: (x[1], gap(x[0])))]

    def _nearby_cues(self, doc: Doc, q: PairedQuote, inside: list[int], sents: list,
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
    def _bare_attribution(doc: Doc, q: PairedQuote, cue: Token) -> bool:
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

    def _continues(
        self, doc: Doc, prev: PairedQuote, q: PairedQuote, inside: list[int], sent_of: list[int]
    ) -> bool:
        """Nothing but ``prev``'s own sentences (quote + attribution) lies between them,
        and maybe an opener of the quote's own sentence that names no one and says nothing
        (``"...," Ruiz said. Instead, "..."``)."""
        own = {sent_of[prev.ts], sent_of[prev.te - 1]}
        for tok in (prev.cue_token, prev.speaker_token):  # `said 1st Lt. Ann Lee.` may split in two
            if tok is not None and tok >= prev.te:
                own.update(range(sent_of[prev.te - 1], sent_of[tok] + 1))
        for i in range(prev.te, q.ts):
            tok = doc[i]
            if inside[i] >= 0 and inside[i] != prev.index:
                return False
            if tok.is_punct or tok.is_space or sent_of[i] in own:
                continue
            if sent_of[i] != sent_of[q.ts] or tok.pos_ in ("VERB", "AUX", "PRON", "PROPN") or tok.ent_type_:
                return False
        return True

    @staticmethod
    def _adjacent(text: str, prev: PairedQuote, q: PairedQuote) -> bool:
        """Nothing but spaces and punctuation between two quotes (same paragraph)."""
        gap = text[prev.span.end : q.span.start]
        return "\n" not in gap and all(not ch.isalnum() for ch in gap)
