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

import logging
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsmine.nlp.attrs import CLAIMS
from newsmine.nlp.claims.claimant import Claimants, DocFacts, phrase_tokens
from newsmine.nlp.claims.numbers import Lexicon, NumberMatch, NumberParser
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.labels import TEMPORAL_LABELS
from newsmine.nlp.lexicon import read_pronouns
from newsmine.rules import RuleSource, read_json, read_word_set

log = logging.getLogger(__name__)

SUBJECT_DEPS = ("nsubj", "nsubjpass")
MODIFIER_DEPS = ("amod", "compound", "nmod", "npadvmod")
_CUE_KEYS = (
    "according_words", "source_nouns", "source_preps", "container_nouns", "drop_entity_labels",
    "level_preps", "comparison_preps", "quantity_appositives", "clause_only_verbs", "valuation_verbs",
    "document_verbs",
)


@dataclass(frozen=True)
class ClaimFiles:
    """The rule files of ``newsmine_claims`` (its settings), relative to ``models/``."""

    lexicon: str
    units: str
    cues: str
    report_verbs: list[str]
    org_nouns: list[str]
    agent_nouns: list[str]
    pronouns: str


class ClaimsExtractor(Claimants, RuleComponent):
    """Turns the numbers of a Doc into claim records (see module doc)."""

    def __init__(self, nlp: Language, name: str, *, files: ClaimFiles) -> None:
        super().__init__(nlp, name)
        self.files = files

    def load_rules(self, source: RuleSource) -> None:
        f = self.files
        self.parser = NumberParser(Lexicon.load(source, f.lexicon, f.units))
        data = read_json(source, f.cues, required=_CUE_KEYS)
        self.according = set(data["according_words"])
        self.source_nouns = set(data["source_nouns"])
        self.source_preps = set(data["source_preps"])
        self.containers = set(data["container_nouns"])
        self.drop_labels = set(data["drop_entity_labels"])
        self.level_preps = set(data["level_preps"])
        self.comparison_preps = set(data["comparison_preps"])
        self.quantity_appositives = set(data["quantity_appositives"])
        self.clause_only_verbs = set(data["clause_only_verbs"])
        self.valuation_verbs = set(data["valuation_verbs"])
        self.document_verbs = set(data["document_verbs"])
        self.report_verbs = set(read_word_set(source, f.report_verbs))
        self.org_nouns = set(read_word_set(source, f.org_nouns))
        self.agent_nouns = set(read_word_set(source, f.agent_nouns))
        pronouns = read_pronouns(source, f.pronouns)
        self.pronouns = {w for w, spec in pronouns.items() if spec.get("case") == "subject"}
        self.rate_markers = set(self.parser.lx.rate_markers)
        self.rank_modifiers = self.parser.lx.rank_modifiers
        self.time_units = self.parser.lx.time_units
        self.relative = self.parser.lx.relative_date_words

    def process(self, doc: Doc) -> Doc:
        f = DocFacts.of(doc, self.according)
        claims: list[dict[str, Any]] = []
        counted: tuple[str, str | None, str | None] | None = None  # sentence, unit, subject of the last count
        for match in self.parser.parse(f.text):
            if not match.is_claim:
                continue
            try:
                found = self._claim(f, match)
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

    def _claim(self, f: DocFacts, m: NumberMatch) -> tuple[dict[str, Any], bool] | None:
        """The claim record, and whether it is a bare figure compared with an earlier one."""
        doc, text = f.doc, f.text
        span = doc.char_span(m.num_start, m.num_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        num = _number_token(span)
        if not self._plausible(f, m, span, num):
            return None
        measured = self._measured(doc, m, span, num)
        if measured is None:
            return None
        kind, unit, end, subject, noun = measured
        claimant, canonical, quote_index = self._claimant(f, num, m)
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
            "predicate": _predicate(noun if noun is not None else num, span),
            "claimant": claimant,
            "claimant_canonical": canonical,
            "quote_index": quote_index,
            # ``sentence.text`` would make a Token per word; the doc's text has it (the same
            # characters: a span's text runs from its first token to its last token's end)
            "sentence": text[sentence.start_char:sentence.end_char],
        }, elliptical

    def _measured(self, doc: Doc, m: NumberMatch, span: Span, num: Token
                  ) -> tuple[str, str | None, int, str | None, Token | None] | None:
        """Kind, unit, end, subject and counted noun: the parse adds the noun a count counts, a
        rate after it, the group a fraction is of; None for a bare rank or label."""
        kind, unit, end = m.kind, m.unit, m.end
        noun = self._counted_noun(num, span) if kind in ("count", "percent", "money", "fraction") else None
        if kind == "count" and noun is None and (
                self._named(num) or self._rank(span) or self._pronoun(m, span)):
            return None
        subject = _phrase(noun, MODIFIER_DEPS) if noun is not None else None
        if kind == "fraction":
            unit = f"fraction of {noun.text.lower()}" if noun is not None else "fraction"
        if kind == "count":
            abbrev = _abbreviation_after(span) if noun is None else None
            unit = noun.text.lower() if noun is not None else abbrev.lower_ if abbrev is not None else unit
            subject = abbrev.text if abbrev is not None else subject
            rate = self._rate(doc, noun if noun is not None and noun.i >= span.end else span[-1])
            if rate is not None:
                period, end = rate
                kind = "rate"
                unit = f"{unit} per {period}" if unit else f"per {period}"
        elif m.kind == "percent" and noun is not None and noun.i < span.start:
            subject = None
        return kind, unit, end, subject, noun

    @staticmethod
    def _pronoun(m: NumberMatch, span: Span) -> bool:
        """``getting one``, ``one to watch``: a spelled ``one`` that counts no noun, as an object,
        is a pronoun; as a subject it counts (``only one was injured``, ``one died``)."""
        if not (m.spelled and m.value == 1 and m.value_low is None) or _abbreviation_after(span):
            return False
        return span.root.dep_ not in ("nsubj", "nsubjpass")

    def _rank(self, span: Span) -> bool:
        """``slipped towards the bottom three``, ``finished in the top two``: a place, no count."""
        i = span.start - 1
        return i >= 1 and span.doc[i].lower_ in self.rank_modifiers and span.doc[i - 1].lower_ in ("the", "a")

    def _plausible(self, f: DocFacts, m: NumberMatch, span: Span, num: Token) -> bool:
        """POS and NER as evidence against numbers the characters alone cannot judge.

        Dates, years and clock times are the parser's to find (a DATE label on ``a 47-year-old``
        or ``closed at 7,210`` is no evidence); a spelled ``one`` that spaCy reads as a pronoun
        is no count, and a number inside a named product or event (``Apollo 11``) is its name."""
        label = num.ent_type_
        if m.kind != "count" or m.qualifier != "exact" or m.value_low is not None:
            return True
        if m.spelled and m.value == 1 and num.pos_ not in ("NUM", "ADJ", "DET"):
            return False  # "one" as a pronoun: "the one", "one that was"
        if label in self.drop_labels:
            ent = next((e for e in f.ents if e.start <= num.i < e.end), None)
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
            if nxt.pos_ not in ("ADJ", "PROPN", "NOUN") or nxt.ent_type_ in TEMPORAL_LABELS:
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
        if prep.lower_ == "of" and not tok.like_num or tok.is_alpha:
            return None  # "a mother of three": no level of mothers
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

def _number_token(span: Span) -> Token:
    """The token that carries the number (the last numeric one: ``3 million`` -> million)."""
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else span.root


def _abbreviation_after(span: Span) -> Token | None:
    """``(0.5 WAR)``, ``12 RBI.``: an all-capitals abbreviation right after a bare number, with
    nothing after it that it could modify, is the number's unit whatever its part of speech."""
    doc = span.doc
    if span.end >= len(doc):
        return None
    tok = doc[span.end]
    nxt = doc[span.end + 1] if span.end + 1 < len(doc) else None
    if not (tok.is_alpha and tok.is_upper and 2 <= len(tok) <= 5) or tok.idx != doc[span.end - 1].idx + len(
            doc[span.end - 1]) + 1:
        return None
    return tok if nxt is None or nxt.is_punct else None


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


def _phrase(tok: Token, deps: tuple[str, ...]) -> str:
    words = phrase_tokens(tok, deps)
    return tok.doc[words[0].i:words[-1].i + 1].text


def _predicate(anchor: Token, span: Span) -> str | None:
    """The verb phrase the number belongs to: the governing verb with its negation and particle
    and a coordinated verb (``killed or injured``, ``did not rise``, ``cut back``).

    A participle that only modifies a noun (``a sobbing child``) governs nothing: the clause's
    verb does. A ``cc`` comes only with the verb it joins, never alone (``returned and``)."""
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ == "VERB" and t.dep_ not in (
        "amod", "compound", "nmod") and not span.start <= t.i < span.end), None)
    if verb is None:
        return None
    kids = list(verb.children)  # once: each pass over ``verb.children`` makes its Tokens anew
    left = [c for c in kids if c.dep_ == "neg" and c.i < verb.i]
    if left:  # "did not expect", "can't repay": the auxiliary that carries the negation
        left += [c for c in kids if c.dep_ == "aux" and c.i < verb.i]
    words = [*left, verb, *[c for c in kids if c.dep_ == "prt" and c.i > verb.i]]
    conj = next((c for c in kids if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > verb.i), None)
    cc = next((c for c in kids if c.dep_ == "cc" and conj is not None and verb.i < c.i < conj.i), None)
    if conj is not None and cc is not None and conj.i - verb.i <= 4:
        words += [cc, conj]
    words.sort(key=lambda t: t.i)
    out = words[0].text
    for prev, t in zip(words, words[1:], strict=False):
        out += (prev.whitespace_ if t.i == prev.i + 1 else " ") + t.text  # "can't", not "ca n't"
    return out


@Language.factory(
    "newsmine_claims",
    default_config={
        "lexicon": "claims/lexicon.json",
        "units": "claims/units.json",
        "cues": "claims/cues.json",
        "report_verbs": [
            "lexicon/speech_verbs.txt", "lexicon/reporting_verbs.txt", "claims/report_verbs.txt"
        ],
        "org_nouns": ["lexicon/org_nouns.txt", "claims/org_nouns.txt"],
        "agent_nouns": ["lexicon/roles.txt", "claims/agent_nouns.txt"],
        "pronouns": "lexicon/pronouns.json",
    },
    assigns=[f"doc._.{CLAIMS}"],
)
def make_claims(
    nlp: Language, name: str, *, lexicon: str, units: str, cues: str, report_verbs: list[str],
    org_nouns: list[str], agent_nouns: list[str], pronouns: str,
) -> ClaimsExtractor:
    """Build the component; every setting names rule files under ``models/``."""
    files = ClaimFiles(lexicon, units, cues, list(report_verbs), list(org_nouns), list(agent_nouns), pronouns)
    return ClaimsExtractor(nlp, name, files=files)
