"""Who makes a claim: the speaker of the quote a number sits in, else the source the
parse names (``according to X``, the subject of ``X said|estimated|reported``), else
an indirect quote's speaker. A mixin of ``ClaimsExtractor``; per-document facts travel
in ``DocFacts``, never on the component.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsmine.nlp.attrs import PEOPLE, QUOTES, doc_text
from newsmine.nlp.claims.numbers import NumberMatch
from newsmine.nlp.entities.evidence import dateline
from newsmine.nlp.labels import ORG, PERSON, SALIENT_LABELS, SPEAKER_LABELS

NAME_DEPS = ("compound", "flat", "amod", "nmod")
QUOTED = ("direct", "mixed")  # the speaker's own words: a figure in them is the speaker's claim


@dataclass
class DocFacts:
    """What the claim rules read from one Doc, taken once per document."""

    doc: Doc
    text: str
    quotes: list[dict]
    people: list[dict]
    has_according: bool
    dateline_end: int  # tokens before this offset are a wire dateline, never a source
    _ents: tuple[Span, ...] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, doc: Doc, according: Iterable[str]) -> "DocFacts":
        """The facts of ``doc``; ``according`` are the words that start an ``according to``."""
        text = doc_text(doc)
        place = dateline(text)
        return cls(doc, text, doc._.get(QUOTES) or [], doc._.get(PEOPLE) or [],
                   any(w in text for w in according), place[1] if place else 0)

    @property
    def ents(self) -> tuple[Span, ...]:
        """``doc.ents`` builds new Spans on every access: read them at most once."""
        if self._ents is None:
            self._ents = tuple(self.doc.ents)
        return self._ents


class Claimants:
    """The claimant steps (see module doc); they read the cue lists the component loaded."""

    report_verbs: set[str]
    according: set[str]
    source_nouns: set[str]
    source_preps: set[str]
    pronouns: set[str]
    org_nouns: set[str]
    agent_nouns: set[str]
    clause_only_verbs: set[str]
    valuation_verbs: set[str]
    document_verbs: set[str]
    containers: set[str]

    def _claimant(self, f: DocFacts, num: Token, m: NumberMatch) -> tuple[str | None, str | None, int | None]:
        """Direct quote -> its speaker; else the nearest source in the parse, else an indirect quote's."""
        doc, text, quotes, people = f.doc, f.text, f.quotes, f.people
        holder: tuple[int, dict] | None = None
        best: tuple[bool, bool, int] | None = None
        for index, quote in enumerate(quotes):
            try:
                inside = quote["start_char"] <= m.num_start < quote["end_char"]
                # a direct quote first, then the tightest one: "economists said there could be
                # ... £400m" inside a longer report span credited to someone else
                rank = (quote.get("kind") not in QUOTED, not quote.get("speaker"),
                        int(quote["end_char"]) - int(quote["start_char"]))
            except (KeyError, TypeError, ValueError):
                continue
            if inside and (best is None or rank < best):
                holder, best = (index, quote), rank
        quote_index = holder[0] if holder else None
        if holder and holder[1].get("kind") in QUOTED and holder[1].get("speaker"):
            quote = holder[1]
            canonical = quote.get("speaker_canonical") or self._resolve_speaker(f, quote)
            return quote["speaker"], canonical or quote["speaker"], quote_index
        source = self._source(f, num)
        if source is None and holder and holder[1].get("speaker"):
            quote = holder[1]
            start, end = quote.get("speaker_start"), quote.get("speaker_end")
            if isinstance(start, int) and isinstance(end, int):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and len(span):
                    if _quantity(span.root) or self._count_of(span.root):
                        # "About 38 percent said ...": respondents; "the number of calls is growing": a
                        # misread cue. A figure or a count is no source.
                        return None, None, quote_index
                    source = self._source_span(f, span.root)
            if source is None:
                return quote["speaker"], quote.get("speaker_canonical") or quote["speaker"], quote_index
        if source is None:
            return None, None, quote_index
        start, end = source
        claimant = text[start:end]
        canonical = _canonical(people, start, end) or _quote_canonical(quotes, start, end)
        if canonical is None and holder and holder[1].get("speaker_canonical"):
            q_start, q_end = holder[1].get("speaker_start"), holder[1].get("speaker_end")
            if isinstance(q_start, int) and isinstance(q_end, int) and q_start < end and start < q_end:
                canonical = holder[1]["speaker_canonical"]
        return claimant, canonical or claimant, quote_index

    def _resolve_speaker(self, f: DocFacts, quote: dict) -> str | None:
        """A quote credited to a bare pronoun ("he said"): the person it refers to, if any."""
        doc, text = f.doc, f.text
        start, end = quote.get("speaker_start"), quote.get("speaker_end")
        if str(quote.get("speaker")).lower() not in self.pronouns or not isinstance(start, int) \
                or not isinstance(end, int):
            return None
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        s, e = self._source_span(f, span.root)
        return None if (s, e) == (span.start_char, span.end_char) else text[s:e]

    def _source(self, f: DocFacts, num: Token) -> tuple[int, int] | None:
        """Walk up from the number: ``according to X`` or a reporting verb's subject.

        Of nested reporting verbs the outermost one whose subject is a person or body wins
        (``the TUC said the tribunal data suggested 1,500``: the TUC); else the nearest.
        """
        found: list[tuple[Token, bool]] = []
        path = [num, *num.ancestors]
        for step, tok in enumerate(path):
            if f.has_according and not found:
                for child in tok.children:
                    if child.lower_ in self.according:
                        span = self._according_object(f, child)
                        if span is not None:
                            return span
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self.report_verbs:
                child = path[step - 1] if step else None
                if _sentence_break(num, tok) or not self._reports(tok, child, path[:step]):
                    continue  # another sentence's verb, or "firms added 146,000 jobs": no report
                subj = _subject(tok, f.dateline_end)
                if subj is not None and not _quantity(subj):
                    found.append((subj, self._agent(subj)))
        if found:
            agents = [subj for subj, agent in found if agent]
            return self._source_span(f, agents[-1] if agents else found[0][0])
        for tok in num.sent if f.has_according else ():
            if tok.lower_ in self.according:
                found = self._according_object(f, tok)
                if found is not None:
                    return found
        return None

    def _reports(self, verb: Token, child: Token | None, below: list[Token]) -> bool:
        """Does the reporting verb report the number's clause? ``add``, ``recall``, ``tell`` only
        with a clause (``she added that 40 were hurt``, not ``firms added 146,000 jobs``); ``put``
        only with ``at`` (``analysts put the cost at $5m``, not ``the rise has put it one level
        below``); ``show`` only after a document (``figures show``, not ``Reynolds showing gains``)."""
        lemma = verb.lemma_.lower()
        if child is None:
            return False
        if lemma in self.clause_only_verbs and child.dep_ not in ("ccomp", "parataxis", "advcl", "xcomp"):
            return False
        if lemma in self.valuation_verbs:
            return any(t.dep_ == "pobj" and t.head.lower_ == "at" for t in below)
        if lemma in self.document_verbs:
            subj = _subject(verb)
            return subj is not None and (subj.lemma_.lower() in self.source_nouns
                                         or subj.lower_.rstrip("s") in self.source_nouns)
        return True

    def _count_of(self, tok: Token) -> bool:
        """``the number of calls``, ``the total of``: a count of something, not a source."""
        return tok.lemma_.lower() in self.containers and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)

    def _agent(self, tok: Token) -> bool:
        """A person or a body (name, pronoun, ``the company``, ``a spokesman``), not a document."""
        if tok.lower_ in self.pronouns or tok.ent_type_ in SPEAKER_LABELS:
            return True
        lemma = tok.lemma_.lower()
        return lemma in self.org_nouns or lemma in self.agent_nouns

    def _according_object(self, f: DocFacts, according: Token) -> tuple[int, int] | None:
        for to in according.children:
            if to.lower_ == "to":
                obj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self._source_span(f, obj)
        return None

    def _source_span(self, f: DocFacts, tok: Token) -> tuple[int, int]:
        """``estimates from a U.S. assessment`` -> the assessment; a pronoun -> the last person named."""
        if tok.lemma_.lower() in self.source_nouns or tok.lower_.rstrip("s") in self.source_nouns:
            # "figures from NHS England", "figures published by NHS England show"
            preps = [c for c in tok.children if c.dep_ == "prep"]
            for acl in (c for c in tok.children if c.dep_ in ("acl", "relcl")):  # "which was published by"
                preps += [c for c in acl.children if c.dep_ in ("agent", "prep") and c.lower_ == "by"]
            for prep in preps:
                if prep.lower_ in self.source_preps:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return self._source_span(f, obj)
        if tok.lower_ in self.pronouns and tok.lower_ != "it":
            if _quote_canonical(f.quotes, tok.idx, tok.idx + len(tok)):
                return tok.idx, tok.idx + len(tok)  # "he said": the quote stage knows who "he" is
            ents = reversed(f.ents)
            person = next((e for e in ents if e.label_ == PERSON and 0 <= tok.i - e.end < 120), None)
            if person is not None:
                return person.start_char, person.end_char
        if tok.lower_ == "it" or (tok.pos_ == "NOUN" and tok.lemma_.lower() in self.org_nouns
                                  and any(c.lower_ == "the" for c in tok.children)):
            org = self._last_org(f, tok)
            if org is not None:
                return org
        ent = next((e for e in f.ents if e.start <= tok.i < e.end
                    and e.label_ in SPEAKER_LABELS), None) if tok.ent_type_ else None
        if ent is not None and tok.pos_ == "PROPN":
            first = ent[1] if len(ent) > 1 and ent[0].pos_ == "DET" else ent[0]
            return first.idx, ent.end_char
        words = phrase_tokens(tok, NAME_DEPS)
        first = words[0]
        while first.i > 0 and not (left := first.doc[first.i - 1]).whitespace_ and (
                left.is_alpha or left.like_num or left.text == "-"):
            first = left  # "the 34-year-old": the whole hyphened compound
        return first.idx, words[-1].idx + len(words[-1])

    def _last_org(self, f: DocFacts, tok: Token) -> tuple[int, int] | None:
        """``it`` / ``the company``: the last organisation named before, an ORG entity or a name in
        apposition with an organisation noun (``Streamly, the music streaming company``)."""
        for ent in reversed(f.ents):
            if ent.end > tok.i or ent.label_ not in SALIENT_LABELS:
                continue
            if tok.i - ent.end > 200:
                break
            if ent.label_ == ORG or any(c.dep_ == "appos" and c.lemma_.lower() in self.org_nouns
                                          for c in ent.root.children):
                first = ent[1] if len(ent) > 1 and ent[0].pos_ == "DET" else ent[0]
                return first.idx, ent.end_char
        return None


def _quantity(tok: Token) -> bool:
    """``About 38 percent said ...``: a subject that is itself a figure is not a source."""
    return tok.like_num or tok.lower_ in ("percent", "%") or any(c.dep_ == "nummod" for c in tok.children)


def _sentence_break(a: Token, b: Token) -> bool:
    """Is there a sentence end between the two tokens (``... £400m. "None of this ...," said X``)?"""
    doc = a.doc
    lo, hi = min(a.i, b.i), max(a.i, b.i)
    for tok in doc[lo:hi]:
        if tok.text[-1:] not in (".", "!", "?") or tok.i + 1 >= len(doc):
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_quote or (tok.text in (".", "!", "?") and nxt.is_title):
            return True
    return False


def _subject(verb: Token, skip_before: int = 0) -> Token | None:
    """The verb's subject, borrowed from the governing clause for ``..., indicating that``.

    Tokens before ``skip_before`` (a wire dateline, ``DENVER (AP) —``) are never subjects.
    """
    tok = verb
    for _ in range(3):
        subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.idx >= skip_before), None)
        if subj is not None and subj.lower_ in ("which", "who", "that") and tok.dep_ == "relcl":
            return tok.head
        if subj is not None:
            return subj
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return None  # "are thought to be": no source named
        if tok.dep_ not in ("advcl", "xcomp", "conj", "acl", "relcl") or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def phrase_tokens(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    """The head with its contiguous modifiers to the left, each with its own (``Russian soldiers``,
    ``Labor Department figures``)."""
    doc = tok.doc
    words = [tok]
    for left in reversed(list(tok.lefts)):
        if any(c.isdigit() for c in left.text) or left.dep_ not in deps:
            break
        adjacent = left.i == words[0].i - 1
        if adjacent or (left.i == words[0].i - 2 and doc[left.i + 1].dep_ in deps):
            start = left.left_edge.i if all(t.dep_ in deps and not t.like_num for t in left.lefts) else left.i
            words[:0] = list(doc[start:words[0].i])
        else:
            break
    return words


def _canonical(people: list[dict], start: int, end: int) -> str | None:
    """The fullest name of the people cluster one of whose mentions overlaps [start, end)."""
    for cluster in people:
        for span in cluster.get("mentions") or []:
            try:
                s, e = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            if s < end <= e:  # the mention holds the claimant's head word, not just a modifier
                return cluster.get("canonical_name")
    return None


def _quote_canonical(quotes: list[dict], start: int, end: int) -> str | None:
    """The speaker_canonical of a quote whose speaker is the mention at [start, end)."""
    for quote in quotes:
        s, e = quote.get("speaker_start"), quote.get("speaker_end")
        if not quote.get("speaker_canonical") or not isinstance(s, int) or not isinstance(e, int):
            continue
        if s < end and start < e:
            return quote["speaker_canonical"]
    return None
