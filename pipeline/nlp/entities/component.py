"""newsmine_entities: entities an analyst can trust, consistent across one article.

The small model labels the same name differently from sentence to sentence (Zelenskyy
GPE, ORG and PERSON in one article) and returns junk ("Getty Imageshide", "State Marco
Rubio"). This component runs after ``ner`` and

1. applies the gazetteer (``models/entities/gazetteer.jsonl``), which wins over the model;
2. trims titles, possessives and credit junk from spans;
3. settles each name's label by the evidence of the whole article: a full name, a
   title + name or a gazetteer entry makes a name PERSON at every mention (also the ones
   the model missed or called ORG/GPE); organisation evidence (``org_evidence.json``:
   "Streamly, the music company", "the G8", "Apacs ... its", acronyms, Corp/plc) keeps a
   single word that has none of that from becoming PERSON; otherwise votes (model
   labels, being the subject of a speech verb) decide, never the first mention alone;
4. clusters mentions (full name, surname, title + surname, possessive -> fullest name;
   places/orgs by normalised text) into ``doc._.newsmine_people`` with canonical ids from
   the alias table and the titles seen next to each person.

Speed: the per-token work reads plain per-doc lists (``Arrays``: texts, POS, heads, ...
taken once from ``doc.to_array``), never ``doc[i]`` or ``span.text``; Token objects are
only made on the rare paths (an apposition's title words).
"""

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, IDX, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from newsmine.nlp.attrs import PEOPLE
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.entities.arrays import Arrays
from newsmine.nlp.entities.clusters import Clustering
from newsmine.nlp.entities.evidence import OrgEvidence, dateline
from newsmine.nlp.entities.gazetteer import EntityFiles, Gazetteer, Lexicon, filter_offsets
from newsmine.nlp.entities.labelling import Cand
from newsmine.nlp.entities.names import POSSESSIVE, fold
from newsmine.nlp.labels import GPE, ORG, PERSON
from newsmine.rules import RuleSource

IOB_I, IOB_O, IOB_B = 1, 2, 3  # spaCy's ENT_IOB codes
ATTRS = [ORTH, LOWER, POS, DEP, HEAD, LEMMA, IDX, ENT_IOB, ENT_TYPE, IS_PUNCT, SPACY, ENT_KB_ID]
KB_COLUMN = 11  # ENT_KB_ID in ATTRS: ``set_entities`` keeps it outside the entities


class EntityNormaliser(Clustering, RuleComponent):
    """Gazetteer + article-level label consistency + mention clustering (see module doc)."""

    def __init__(self, nlp: Language, name: str, *, files: EntityFiles) -> None:
        super().__init__(nlp, name)
        self.files = files

    def load_rules(self, source: RuleSource) -> None:
        files, strings = self.files, self.nlp.vocab.strings
        self.lex = Lexicon.load(source, files)
        self.gazetteer = Gazetteer(self.nlp, source, files.gazetteer)
        self.gaz_nonperson = {fold(t): lab for t, lab in self.gazetteer.surface.items() if lab != PERSON}
        self.gaz_person = {fold(t) for t, lab in self.gazetteer.surface.items() if lab == PERSON}
        self.gaz_known = frozenset({*self.gaz_nonperson, *self.gaz_person})
        self.gaz_starts = frozenset(w[:4] for w in self.gaz_known if len(w) >= 4)
        self.evidence = OrgEvidence.load(
            strings, source, files.org_nouns, files.work_nouns, files.org_evidence, self.lex.roles
        )
        self.evidence.known_orgs = frozenset(k for k, lab in self.gaz_nonperson.items() if lab == ORG)
        add = strings.add
        self.h_nsubj, self.h_appos, self.h_person = add("nsubj"), add("appos"), add(PERSON)
        self.speech_hashes = frozenset(add(v) for v in self.lex.speech_verbs)

    def process(self, doc: Doc) -> Doc:
        a = Arrays(doc, ATTRS)
        cands = self._merge_gazetteer(doc, a, self._model_candidates(a))
        cands = self._settle_labels(a, cands)
        final = filter_offsets([(c.start, c.end, c.label) for c in cands])
        set_entities(doc, final, a.array[:, KB_COLUMN])
        doc._.set(PEOPLE, self._clusters(doc, a, final))
        return doc

    # --- 1-2: candidates -------------------------------------------------------------
    def _trim_person(self, a: Arrays, start: int, end: int) -> tuple[int, int] | None:
        """Drop leading titles ("Secretary of State Marco Rubio" -> "Marco Rubio") and junk."""
        i, cut = start, None
        while i < end and self._title_able(a, i):
            if self.lex.is_title_word(a.text[i]):
                cut = i + 1
            i += 1
        if cut is not None:
            start = cut
        while start < end and (a.is_punct[start] or a.lower[start] == "the"):
            start += 1
        if start >= end or not any(self._name_like(a, k) for k in range(start, end)):
            return None
        return start, end

    def _model_candidates(self, a: Arrays) -> list[Cand]:
        cands = []
        for start, end, label in a.ents():
            while end > start and (a.text[end - 1] in POSSESSIVE or a.is_punct[end - 1]):
                end -= 1
            if end - start > 2 and self.evidence.prefixed(a.span_text(start, start + 2)):
                start += 2  # "ex-Yukos boss", "pro-Trump rally": the name without its prefix
            if end <= start:
                continue
            junk = [self.lex.junk_kind(a.text[k]) for k in range(start, end)]
            if (label == PERSON and any(junk)) or "glued" in junk:
                continue
            if label == PERSON:
                trimmed = self._trim_person(a, start, end)
                if trimmed is None:
                    continue
                start, end = trimmed
            cands.append(Cand(start, end, label, "model"))
        return cands

    def _merge_gazetteer(self, doc: Doc, a: Arrays, cands: list[Cand]) -> list[Cand]:
        """Gazetteer matches replace overlapping model spans, except inside a longer person name."""
        kept = list(cands)
        matches = list(self.gazetteer.matches(doc))
        place = dateline(a.doc_text)
        span = doc.char_span(*place, alignment_mode="contract") if place else None
        if span is not None and len(span) and fold(span.text) not in self.gaz_nonperson:
            # "DENVER (AP) —": the dateline's place, however the model read the capitals
            matches = [m for m in matches if m[0] >= span.end or m[1] <= span.start]
            matches.append((span.start, span.end, GPE))
        for g_start, g_end, g_label in matches:
            over = [c for c in kept if c.start < g_end and g_start < c.end]
            inside_name = any(
                c.label == PERSON
                and c.start <= g_start
                and g_end <= c.end
                and (g_label == PERSON or any(self._name_like(a, k) for k in range(c.start, g_start)))
                for c in over
            )
            if inside_name:  # "George Washington", "Jill Biden" stay whole persons
                continue
            if over and all(self._longer_name(a, c, g_start, g_end, g_label) for c in over):
                continue  # "Apple Computer" stays whole: the model's longer name of the same kind

            kept = [c for c in kept if c not in over]
            kept.append(Cand(g_start, g_end, g_label, "gazetteer"))
        return sorted(kept, key=lambda c: c.start)

    @staticmethod
    def _longer_name(a: Arrays, c: Cand, g_start: int, g_end: int, g_label: str) -> bool:
        """Is model span ``c`` the gazetteer entry plus more capitalised name words ("Apple
        Computer", "Trades Union Congress"), not plus common words ("the", "research")?"""
        if c.label != g_label or not (c.start <= g_start and g_end <= c.end):
            return False
        start = c.start + 1 if a.lower[c.start] == "the" else c.start
        extra = [k for k in range(start, c.end) if not g_start <= k < g_end]
        if not extra or not all(a.text[k][:1].isupper() for k in extra):
            return False
        c.start = start
        return True


def set_entities(doc: Doc, ents: list[tuple[int, int, str]], kb_ids: numpy.ndarray) -> None:
    """``doc.set_ents([Span(doc, s, e, label=lab) ...], default="outside")`` for non-overlapping
    ``(start, end, label)``, written with one ``doc.from_array``: no Span (and its two Tokens)
    per entity, no per-token Python loop. Same result: B/I on the entities, O elsewhere, the
    entities' knowledge-base ids cleared (a new Span has none), the other tokens' kept
    (``kb_ids``: the doc's ENT_KB_ID column)."""
    n = len(doc)
    if n == 0:
        return
    add = doc.vocab.strings.add
    cols = numpy.zeros((n, 3), dtype="uint64")
    cols[:, 0] = IOB_O
    cols[:, 2] = kb_ids
    for start, end, label in ents:
        h = add(label)
        if end <= start or not h:  # set_ents drops spans without a label; an empty span sets nothing
            continue
        cols[start, 0] = IOB_B
        cols[start + 1 : end, 0] = IOB_I
        cols[start:end, 1] = h
        cols[start:end, 2] = 0
    doc.from_array([ENT_IOB, ENT_TYPE, ENT_KB_ID], cols)


@Language.factory(
    "newsmine_entities",
    default_config={
        "gazetteer": "entities/gazetteer.jsonl",
        "aliases": "entities/aliases.json",
        "roles": ["lexicon/roles.txt", "entities/roles.txt"],
        "title_modifiers": ["entities/title_modifiers.txt"],
        "honorifics": "lexicon/honorifics.json",
        "speech_verbs": ["lexicon/speech_verbs.txt", "entities/speech_verbs.txt"],
        "not_person": "entities/not_person.txt",
        "org_nouns": ["lexicon/org_nouns.txt", "entities/org_nouns.txt"],
        "work_nouns": ["lexicon/work_nouns.txt", "entities/work_nouns.txt"],
        "org_evidence": "entities/org_evidence.json",
        "gendered_nouns": "lexicon/gendered_nouns.json",
        "first_names": "lexicon/first_names.tsv",
        "name_gender_certainty": 0.9,
    },
    assigns=["doc.ents", f"doc._.{PEOPLE}"],
    requires=["doc.ents", "token.dep", "token.pos"],
)
def make_entities(
    nlp: Language, name: str, *, gazetteer: str, aliases: str, roles: list[str], title_modifiers: list[str],
    honorifics: str, speech_verbs: list[str], not_person: str, org_nouns: list[str], work_nouns: list[str],
    org_evidence: str, gendered_nouns: str, first_names: str, name_gender_certainty: float,
) -> EntityNormaliser:
    """Build the component; the settings name rule files under ``models/``, except
    ``name_gender_certainty``: how nearly always one gender a first name must be to count."""
    files = EntityFiles(gazetteer, aliases, list(roles), list(title_modifiers), honorifics,
                        list(speech_verbs), not_person, list(org_nouns), list(work_nouns), org_evidence,
                        gendered_nouns, first_names, name_gender_certainty)
    return EntityNormaliser(nlp, name, files=files)
