"""The ``newsmine_claims`` component: numeric claims with unit, bound, subject and claimant.

Why two layers: ``newsmine.nlp.claims.numbers`` reads the characters (value, range, unit word,
qualifier, and whether the number is a date/ordinal/identifier at all); this
component adds what only the parse knows: the counted noun (``790,000 Russian
soldiers`` -> unit ``soldiers``), rates (``5000 soldiers a week``), the predicate, and
who makes the claim: the speaker of the quote the number sits in, else the source
of ``according to X`` / ``X said|estimated|reported`` governing the number's clause.
spaCy's NER labels are used as evidence against identifiers and dates, not trusted
blindly (the small model tags ``more than four months`` as DATE).

Output: ``doc._.newsmine_claims``, a list of plain dicts (see ``attrs.py``).
"""

import json
import logging
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsmine.nlp.attrs import CLAIMS, PEOPLE, QUOTES
from newsmine.nlp.claims.numbers import Lexicon, NumberMatch, NumberParser
from newsmine.nlp.entities.evidence import dateline
from newsmine.rules import model_file

log = logging.getLogger(__name__)

SUBJECT_DEPS = ("nsubj", "nsubjpass")
MODIFIER_DEPS = ("amod", "compound", "nmod", "npadvmod")
NAME_DEPS = ("compound", "flat", "amod", "nmod")


class ClaimsExtractor:
    """Turns the numbers of a Doc into claim records; rule data loaded once in ``__init__``."""

    def __init__(self, nlp: Language, name: str, lexicon: str = "", cues: str = "") -> None:
        self.name = name
        self.parser = NumberParser(Lexicon.from_file(lexicon or None))
        data = json.loads(Path(cues or model_file("claims", "cues.json")).read_text(encoding="utf-8"))
        self.report_verbs = set(data["report_verbs"])
        self.according = set(data["according_words"])
        self.source_nouns = set(data["source_nouns"])
        self.source_preps = set(data["source_preps"])
        self.containers = set(data["container_nouns"])
        self.pronouns = set(data["pronouns"])
        self.rate_markers = set(self.parser.lx.rate_markers)
        self.drop_labels = set(data["drop_entity_labels"])
        self.date_labels = set(data["date_entity_labels"])
        self.level_preps = set(data.get("level_preps", []))
        self.comparison_preps = set(data.get("comparison_preps", []))
        self.org_nouns = set(data.get("org_nouns", []))
        self.agent_nouns = set(data.get("agent_nouns", []))
        self.quantity_appositives = set(data.get("quantity_appositives", []))
        self.time_units = self.parser.lx.time_units
        self.relative = self.parser.lx.relative_date_words
        self._ents = None
        self._has_according = True
        self._dateline_end = 0  # tokens before this offset are a wire dateline, never a source

    def _doc_ents(self, doc: Doc) -> tuple[Span, ...]:
        if self._ents is None or (self._ents and self._ents[0].doc is not doc):
            self._ents = tuple(doc.ents)
        return self._ents

    def __call__(self, doc: Doc) -> Doc:
        claims: list[dict[str, Any]] = []
        quotes = doc._.get(QUOTES) or []
        people = doc._.get(PEOPLE) or []
        text = doc.text  # built from the tokens on every access: read it once
        # per-doc state: doc.ents builds new Spans on every access, so read it at most once
        self._ents: tuple[Span, ...] | None = None
        self._has_according = any(w in text for w in self.according)
        place = dateline(text)
        self._dateline_end = place[1] if place else 0
        counted: tuple[str, str | None, str | None] | None = None  # sentence, unit, subject of the last count
        for match in self.parser.parse(text):
            if not match.is_claim:
                continue
            try:
                found = self._claim(doc, text, match, quotes, people)
            except Exception:  # one odd number must not cost the document its other claims
                log.warning("claims: skipped %r in a document", match.text, exc_info=True)
                continue
            if found is None:
                continue
            claim, elliptical = found
            if claim["kind"] == "count":
                if claim["unit"]:
                    counted = (claim["sentence"], claim["unit"], claim["subject"])
                elif elliptical and counted is not None and counted[0] == claim["sentence"]:
                    # "20,645 votes, compared to 14,738": the elliptical figure counts the same noun
                    claim["unit"], claim["subject"] = counted[1], counted[2]
            claims.append(claim)
        doc._.set(CLAIMS, claims)
        return doc

    # ------------------------------------------------------------------ one claim

    def _claim(
        self, doc: Doc, text: str, m: NumberMatch, quotes: list[dict], people: list[dict]
    ) -> tuple[dict[str, Any], bool] | None:
        """The claim record, and whether it is a bare figure compared with an earlier one."""
        span = doc.char_span(m.num_start, m.num_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        num = _number_token(span)
        if not self._plausible(m, span, num):
            return None
        kind, unit, end = m.kind, m.unit, m.end
        noun = self._counted_noun(num, span) if kind in ("count", "percent", "money") else None
        if kind == "count" and noun is None and self._named(num):
            return None
        subject = _phrase(noun, MODIFIER_DEPS) if noun is not None else None
        if kind == "count":
            unit = noun.text.lower() if noun is not None else unit
            rate = self._rate(doc, noun if noun is not None and noun.i >= span.end else span[-1])
            if rate is not None:
                period, end = rate
                kind = "rate"
                unit = f"{unit} per {period}" if unit else f"per {period}"
        elif m.kind == "percent" and noun is not None and noun.i < span.start:
            subject = None
        claimant, canonical, quote_index = self._claimant(doc, text, num, m, quotes, people)
        sentence = num.sent
        elliptical = noun is None and m.value_low is None and (
            num.dep_ == "conj" or (num.dep_ == "pobj" and num.head.lower_ in self.comparison_preps))
        return {
            "text": text[m.start:end],
            "start_char": m.start,
            "end_char": end,
            "value": float(m.value),
            "value_low": m.value_low,
            "value_high": m.value_high,
            "unit": unit,
            "kind": kind,
            "qualifier": m.qualifier,
            "trend": m.trend,
            "subject": subject,
            "predicate": _predicate(noun if noun is not None else num),
            "claimant": claimant,
            "claimant_canonical": canonical,
            "quote_index": quote_index,
            "sentence": sentence.text,
        }, elliptical

    def _plausible(self, m: NumberMatch, span: Span, num: Token) -> bool:
        """NER and POS as evidence against numbers the characters alone cannot judge."""
        label = num.ent_type_
        if m.kind != "count" or m.qualifier != "exact":
            return True
        if m.spelled and num.pos_ not in ("NUM", "ADJ") and num.lower_ not in ("dozen", "half"):
            return False  # "one" as a pronoun: "one of", "the one"
        if label in self.date_labels and not (num.dep_ == "nummod" and num.head.pos_ in ("NOUN", "PROPN")
                                              and num.head.lower_ not in self.time_units):
            return False
        if label in self.drop_labels:
            ent = next((e for e in self._doc_ents(num.doc) if e.start <= num.i < e.end), None)
            if ent is not None and any(t.is_alpha and t.is_title and t.i < num.i for t in ent):
                return False  # "Apollo 11", "the FTSE 100"
        return True

    def _counted_noun(self, num: Token, span: Span) -> Token | None:
        """The noun the number counts: ``790,000 Russian soldiers``; ``the number of X exceeded N``."""
        tok = num
        while tok.dep_ in ("compound", "quantmod", "nummod") and tok.head.i != tok.i and tok.head.i in range(
                span.start, span.end):
            tok = tok.head
        if tok.dep_ == "nummod" and _plural_noun(tok.head) and tok.head.i >= span.end:
            return tok.head  # "790,000 Russian soldiers", "About 3,000 Caribs"
        after = _of_object(span)
        if after is not None:
            return after
        for nxt in span.doc[span.end:span.end + 4]:  # "estimated790,000 Russian soldiers" (one token)
            if nxt.tag_ in ("NNS", "NNPS"):
                return nxt
            if nxt.pos_ not in ("ADJ", "PROPN", "NOUN") or nxt.ent_type_ in ("DATE", "TIME"):
                break
        if tok.dep_ in ("dobj", "attr", "pobj", "npadvmod", "nsubj") or tok.head.pos_ in ("VERB", "AUX"):
            verb = tok.head if tok.head.pos_ in ("VERB", "AUX") else tok.head.head
            for child in verb.children:
                if child.dep_ in SUBJECT_DEPS and child.lemma_.lower() in self.containers:
                    for prep in child.children:
                        if prep.dep_ == "prep" and prep.lower_ == "of":
                            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                            if obj is not None:
                                return obj
        return self._level_noun(tok)

    def _level_noun(self, tok: Token) -> Token | None:
        """``a population of 70,000``, ``ticket sales over 5,000``: the noun the figure measures."""
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in self.level_preps or prep.dep_ != "prep":
            return None
        noun = prep.head
        lemma = noun.lemma_.lower()
        if noun.pos_ != "NOUN" or noun.i > tok.i or noun.lower_ in self.time_units:
            return None
        if lemma in self.containers or lemma in self.parser.lx.trend_nouns:  # "a total of", "a rise of"
            return None
        return noun

    def _named(self, num: Token) -> bool:
        """``666, the mark of the beast``: a bare number an apposition names is a label."""
        for child in num.children:
            if child.dep_ != "appos" or child.pos_ not in ("NOUN", "PROPN"):
                continue
            if child.lemma_.lower() in self.quantity_appositives or child.lemma_.lower() in self.containers:
                return False
            # "70,000, the biggest crowd of the season" describes the figure; otherwise it names it
            return not any(c.tag_ in ("JJS", "RBS") or c.like_num for c in child.children)
        return False

    def _rate(self, doc: Doc, anchor: Token) -> tuple[str, int] | None:
        """``5000 soldiers a week``: a count followed by ``a|per|each|every <period>``."""
        i = anchor.i + 1
        if i + 1 >= len(doc):
            return None
        marker, period = doc[i], doc[i + 1]
        if marker.lower_ not in self.rate_markers or period.lower_ not in self.time_units:
            return None
        if i + 2 < len(doc) and doc[i + 2].lower_ in self.relative:
            return None
        return self.time_units[period.lower_], period.idx + len(period)

    # ------------------------------------------------------------------ who says so

    def _claimant(
        self, doc: Doc, text: str, num: Token, m: NumberMatch, quotes: list[dict], people: list[dict]
    ) -> tuple[str | None, str | None, int | None]:
        """Direct quote -> its speaker; else the nearest source in the parse, else an indirect quote's."""
        holder: tuple[int, dict] | None = None
        best: tuple[bool, bool, int] | None = None
        for index, quote in enumerate(quotes):
            try:
                inside = quote["start_char"] <= m.num_start < quote["end_char"]
                # a direct quote first, then the tightest one: "economists said there could be
                # ... £400m" inside a longer report span credited to someone else
                rank = (quote.get("kind") != "direct", not quote.get("speaker"),
                        int(quote["end_char"]) - int(quote["start_char"]))
            except (KeyError, TypeError, ValueError):
                continue
            if inside and (best is None or rank < best):
                holder, best = (index, quote), rank
        quote_index = holder[0] if holder else None
        if holder and holder[1].get("kind") == "direct" and holder[1].get("speaker"):
            quote = holder[1]
            canonical = quote.get("speaker_canonical") or self._resolve_speaker(doc, text, quote)
            return quote["speaker"], canonical or quote["speaker"], quote_index
        source = self._source(num)
        if source is None and holder and holder[1].get("speaker"):
            quote = holder[1]
            start, end = quote.get("speaker_start"), quote.get("speaker_end")
            if isinstance(start, int) and isinstance(end, int):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and len(span):
                    if _quantity(span.root):  # "About 38 percent said ...": respondents, not a source
                        return None, None, quote_index
                    source = self._source_span(span.root)
            if source is None:
                return quote["speaker"], quote.get("speaker_canonical") or quote["speaker"], quote_index
        if source is None:
            return None, None, quote_index
        start, end = source
        claimant = text[start:end]
        canonical = _canonical(people, start, end)
        if canonical is None and holder and holder[1].get("speaker_canonical"):
            q_start, q_end = holder[1].get("speaker_start"), holder[1].get("speaker_end")
            if isinstance(q_start, int) and isinstance(q_end, int) and q_start < end and start < q_end:
                canonical = holder[1]["speaker_canonical"]
        return claimant, canonical or claimant, quote_index

    def _resolve_speaker(self, doc: Doc, text: str, quote: dict) -> str | None:
        """A quote credited to a bare pronoun ("he said"): the person it refers to, if any."""
        start, end = quote.get("speaker_start"), quote.get("speaker_end")
        if str(quote.get("speaker")).lower() not in self.pronouns or not isinstance(start, int) \
                or not isinstance(end, int):
            return None
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        s, e = self._source_span(span.root)
        return None if (s, e) == (span.start_char, span.end_char) else text[s:e]

    def _source(self, num: Token) -> tuple[int, int] | None:
        """Walk up from the number: ``according to X`` or a reporting verb's subject.

        Of nested reporting verbs the outermost one whose subject is a person or body wins
        (``the TUC said the tribunal data suggested 1,500``: the TUC); else the nearest.
        """
        found: list[tuple[Token, bool]] = []
        for tok in [num, *num.ancestors]:
            if self._has_according and not found:
                for child in tok.children:
                    if child.lower_ in self.according:
                        span = self._according_object(child)
                        if span is not None:
                            return span
            if tok.pos_ == "VERB" and tok.lemma_.lower() in self.report_verbs:
                if _sentence_break(num, tok):
                    continue  # two sentences the parser ran together: that verb is another claim's
                subj = _subject(tok, self._dateline_end)
                if subj is not None and not _quantity(subj):
                    found.append((subj, self._agent(subj)))
        if found:
            agents = [subj for subj, agent in found if agent]
            return self._source_span(agents[-1] if agents else found[0][0])
        for tok in num.sent if self._has_according else ():
            if tok.lower_ in self.according:
                found = self._according_object(tok)
                if found is not None:
                    return found
        return None

    def _agent(self, tok: Token) -> bool:
        """A person or a body (name, pronoun, ``the company``, ``a spokesman``), not a document."""
        if tok.lower_ in self.pronouns or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return True
        lemma = tok.lemma_.lower()
        return lemma in self.org_nouns or lemma in self.agent_nouns

    def _according_object(self, according: Token) -> tuple[int, int] | None:
        for to in according.children:
            if to.lower_ == "to":
                obj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self._source_span(obj)
        return None

    def _source_span(self, tok: Token) -> tuple[int, int]:
        """``estimates from a U.S. assessment`` -> the assessment; a pronoun -> the last person named."""
        if tok.lemma_.lower() in self.source_nouns or tok.lower_.rstrip("s") in self.source_nouns:
            # "figures from NHS England", "figures published by NHS England show"
            preps = [c for c in tok.children if c.dep_ == "prep"]
            for acl in (c for c in tok.children if c.dep_ == "acl"):
                preps += [c for c in acl.children if c.dep_ in ("agent", "prep") and c.lower_ == "by"]
            for prep in preps:
                if prep.lower_ in self.source_preps:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return self._source_span(obj)
        if tok.lower_ in self.pronouns and tok.lower_ != "it":
            ents = reversed(self._doc_ents(tok.doc))
            person = next((e for e in ents if e.label_ == "PERSON" and 0 <= tok.i - e.end < 120), None)
            if person is not None:
                return person.start_char, person.end_char
        if tok.lower_ == "it" or (tok.pos_ == "NOUN" and tok.lemma_.lower() in self.org_nouns
                                  and any(c.lower_ == "the" for c in tok.children)):
            org = self._last_org(tok)
            if org is not None:
                return org
        ent = next((e for e in self._doc_ents(tok.doc) if e.start <= tok.i < e.end
                    and e.label_ in ("PERSON", "ORG", "GPE", "NORP")), None) if tok.ent_type_ else None
        if ent is not None and tok.pos_ == "PROPN":
            first = ent[1] if len(ent) > 1 and ent[0].pos_ == "DET" else ent[0]
            return first.idx, ent.end_char
        words = _phrase_tokens(tok, NAME_DEPS)
        return words[0].idx, words[-1].idx + len(words[-1])

    def _last_org(self, tok: Token) -> tuple[int, int] | None:
        """``it`` / ``the company``: the last organisation named before, an ORG entity or a name in
        apposition with an organisation noun (``Streamly, the music streaming company``)."""
        for ent in reversed(self._doc_ents(tok.doc)):
            if ent.end > tok.i or ent.label_ not in ("ORG", "PERSON"):
                continue
            if tok.i - ent.end > 200:
                break
            if ent.label_ == "ORG" or any(c.dep_ == "appos" and c.lemma_.lower() in self.org_nouns
                                          for c in ent.root.children):
                first = ent[1] if len(ent) > 1 and ent[0].pos_ == "DET" else ent[0]
                return first.idx, ent.end_char
        return None


def _number_token(span: Span) -> Token:
    """The token that carries the number (the last numeric one: ``3 million`` -> million)."""
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else span.root


def _quantity(tok: Token) -> bool:
    """``About 38 percent said ...``: a subject that is itself a figure is not a source."""
    return tok.like_num or tok.lower_ in ("percent", "%") or any(c.dep_ == "nummod" for c in tok.children)


def _plural_noun(tok: Token) -> bool:
    """A common noun, or a plural proper noun (``3,000 Caribs``, ``40 Democrats``)."""
    return tok.pos_ == "NOUN" or tok.tag_ == "NNPS"


def _of_object(span: Span) -> Token | None:
    """``tens of thousands of people`` / ``5% of voters``: the object of a following ``of``."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ == "of":
        obj = next((c for c in doc[span.end].children if c.dep_ == "pobj"), None)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN") and obj.lower_ not in ("them", "those"):
            return obj
    return None


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


def _phrase_tokens(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    """The head with its contiguous modifiers to the left: ``Russian soldiers``."""
    words = [tok]
    for left in reversed(list(tok.lefts)):
        if any(c.isdigit() for c in left.text) or left.dep_ not in deps:
            break
        adjacent = left.i == words[0].i - 1
        if adjacent or (left.i == words[0].i - 2 and tok.doc[left.i + 1].dep_ in deps):
            words.insert(0, left)
        else:
            break
    return words


def _phrase(tok: Token, deps: tuple[str, ...]) -> str:
    words = _phrase_tokens(tok, deps)
    return tok.doc[words[0].i:words[-1].i + 1].text


def _predicate(anchor: Token) -> str | None:
    """The governing verb with its coordinated verbs: ``killed or injured``."""
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ == "VERB"), None)
    if verb is None:
        return None
    parts = [verb.text]
    for child in verb.children:
        if child.dep_ == "cc" and child.i > verb.i:
            parts.append(child.text)
        elif child.dep_ == "conj" and child.pos_ == "VERB":
            parts.append(child.text)
            break
    return " ".join(parts)


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


@Language.factory(
    "newsmine_claims",
    default_config={"lexicon": "", "cues": ""},
    assigns=[f"doc._.{CLAIMS}"],
)
def make_claims(nlp: Language, name: str, lexicon: str, cues: str) -> ClaimsExtractor:
    """Build the component; empty paths mean the files under ``models/claims/``."""
    return ClaimsExtractor(nlp, name, lexicon=lexicon, cues=cues)
