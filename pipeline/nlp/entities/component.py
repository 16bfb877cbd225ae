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

from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from newsmine.nlp.attrs import PEOPLE
from newsmine.nlp.entities.evidence import Arrays, OrgEvidence, dateline
from newsmine.nlp.entities.gazetteer import Gazetteer, Lexicon, data_dir, filter_offsets
from newsmine.nlp.entities.names import (
    PARTICLES,
    clean_name,
    fold,
    fuller,
    name_parts,
    same_person,
    same_surname,
    slug,
)

PROPN_ID = POS_IDS["PROPN"]
ADJ_ID = POS_IDS["ADJ"]
ATTRS = [ORTH, LOWER, POS, DEP, HEAD, LEMMA, IDX, ENT_IOB, ENT_TYPE, IS_PUNCT, SPACY]

PERSON = "PERSON"
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT"})
PLACE_ORG = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
CONNECTORS = frozenset({"of", "for", "and", "the", "'s", "\u2019s"})
OPEN_QUOTES = frozenset({'"', "\u201c", "'", "\u2018"})
SPEECH_VOTE = 2  # a speech-verb subject counts as much as two model labels


@dataclass(eq=False)  # compared by identity: cheap, and two equal spans are still two candidates
class Cand:
    """A candidate entity in token offsets while the article's evidence is weighed."""

    start: int
    end: int
    label: str
    source: str  # "model", "gazetteer" or "evidence"
    titles: list[str] = field(default_factory=list)
    key: str = ""  # folded text, set once the span is final (``_settle_labels``)


class EntityNormaliser(Pipe):
    """Gazetteer + article-level label consistency + mention clustering (see module doc)."""

    def __init__(self, nlp: Language, name: str, data_dir_: str = "") -> None:
        self.name = name
        folder = data_dir(data_dir_)
        self.lex = Lexicon.from_dir(folder)
        self.gazetteer = Gazetteer(nlp, folder / "gazetteer.jsonl")
        self.gaz_nonperson = {fold(t): lab for t, lab in self.gazetteer.surface.items() if lab != PERSON}
        self.gaz_person = {fold(t) for t, lab in self.gazetteer.surface.items() if lab == PERSON}
        self.evidence = OrgEvidence.from_dir(nlp.vocab.strings, folder, self.lex.roles)
        self.evidence.known_orgs = frozenset(k for k, lab in self.gaz_nonperson.items() if lab == "ORG")
        add = nlp.vocab.strings.add
        self.h_nsubj, self.h_appos, self.h_person = add("nsubj"), add("appos"), add(PERSON)
        self.speech_hashes = frozenset(add(v) for v in self.lex.speech_verbs)
        self._name_like_cache: dict[str, bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        try:
            a = Arrays(doc, ATTRS)
            cands = self._merge_gazetteer(doc, a, self._model_candidates(a))
            cands = self._settle_labels(a, cands)
            final = filter_offsets([(c.start, c.end, c.label) for c in cands])
            add = doc.vocab.strings.add
            doc.set_ents([Span(doc, s, e, label=add(lab)) for s, e, lab in final], default="outside")
            doc._.set(PEOPLE, self._clusters(doc, a, final))
        except Exception as err:  # one bad document is reported, not fatal
            self.get_error_handler()(self.name, self, [doc], err)
        return doc

    # --- 1-2: candidates -------------------------------------------------------------
    def _name_like_text(self, text: str) -> bool:
        hit = self._name_like_cache.get(text)
        if hit is None:
            hit = (text[:1].isupper() or text.lower() in PARTICLES) and not self.lex.is_title_word(text)
            if len(self._name_like_cache) > 200_000:
                self._name_like_cache.clear()
            self._name_like_cache[text] = hit
        return hit

    def _name_like(self, a: Arrays, i: int) -> bool:
        return self._name_like_text(a.text[i])

    def _title_able(self, a: Arrays, i: int) -> bool:
        text = a.text[i]
        return (
            self.lex.is_title_word(text)
            or a.lower[i] in CONNECTORS
            or fold(text) in self.gaz_nonperson
            or (a.pos[i] == ADJ_ID and text[:1].isupper())
        )

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
            matches.append((span.start, span.end, "GPE"))
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

    # --- 3: evidence across the article ----------------------------------------------
    def _title_before(self, a: Arrays, start: int) -> str | None:
        """The title phrase ending right before token ``start`` ("Russian Foreign Minister")."""
        j = self._title_start(a, start)
        return None if j is None else a.span_text(j, start)

    def _title_start(self, a: Arrays, start: int) -> int | None:
        """Where the title phrase before token ``start`` begins, if there is one."""
        j = start - 1
        if j < 0 or not self.lex.is_title_word(a.text[j]) or a.lower[j] in self.lex.honorifics:
            return None
        while j > 0 and start - j < 7 and self._title_able(a, j - 1) and a.ent_type[j - 1] != self.h_person:
            j -= 1
        while a.lower[j] in CONNECTORS:
            j += 1
        if not any(a.lower[k] in self.lex.roles for k in range(j, start)):
            return None
        return j

    def _role_apposition(self, a: Arrays, start: int, end: int) -> bool:
        """Is the span followed by an apposition headed by a role noun (", a senior analyst")?"""
        heads = a.memo.get("role_appos")
        if heads is None:  # head -> its role-noun appositions, once per doc
            heads = a.memo["role_appos"] = {}
            roles, h_appos, head = self.lex.roles, self.h_appos, a.head
            for k, d in enumerate(a.dep):
                if d == h_appos and head[k] != k and a.lemma_str(k).lower() in roles:
                    heads.setdefault(head[k], []).append(k)
        if not heads:
            return False
        return any(k >= end for k in heads.get(a.root(start, end), ()))

    def _titled(self, a: Arrays, start: int) -> bool:
        """Is the name at ``start`` preceded by a role title or an honorific (Mr, Dr)?"""
        if start == 0:
            return False
        if a.lower[start - 1] in self.lex.honorifics:
            return True
        j = self._title_start(a, start)
        # '"Chief Yahoo"', "the 'Iron Chancellor'": a title + name in quotes is a nickname
        return j is not None and not (j > 0 and a.text[j - 1] in OPEN_QUOTES)

    def _settle_labels(self, a: Arrays, cands: list[Cand]) -> list[Cand]:
        votes: dict[str, Counter] = {}
        full_names: dict[str, list[str]] = {}  # folded full name -> its words
        person_words: set[str] = set()
        strong: set[str] = set()  # single words the article itself makes persons
        for c in cands:
            if c.label not in NAME_LABELS:
                continue
            if c.label == PERSON and c.source == "model" and self.evidence.work_span(a, c.start, c.end):
                c.label = "WORK_OF_ART"  # "the pantomime Dick Whittington": a title, not a person
            key = c.key = fold(a.span_text(c.start, c.end))
            org_shape = self.evidence.org_span(a, c.start, c.end)
            if org_shape and c.label == PERSON:  # "G8", "Acme Corp": the shape says organisation
                c.label = "ORG"
            votes.setdefault(key, Counter())[c.label] += 1
            all_names = all(self._name_like(a, k) for k in range(c.start, c.end))
            if org_shape:
                pass
            elif c.label == PERSON and c.end - c.start >= 2 and all_names:
                full_names[key] = key.split()
                person_words.add(key.split()[-1])
            elif c.label == PERSON and c.source == "gazetteer":
                person_words.add(key)
            elif c.source == "model" and all_names and self._role_apposition(a, c.start, c.end):
                # "Kagiso Dlamini, a senior analyst at ..." is a person whatever the model said
                if c.end - c.start >= 2:
                    full_names[key] = key.split()
                person_words.add(key.split()[-1])
                strong.add(key.split()[-1])
        cand_at = {i: c for c in cands for i in range(c.start, c.end)}
        # title + name and speech-verb subjects, including names the model missed; only
        # proper nouns can be either
        name_like, texts = self._name_like_text, a.text
        for i in a.propn:
            if not name_like(texts[i]):
                continue
            cand = cand_at.get(i)
            if cand and cand.label not in NAME_LABELS:
                continue
            start = cand.start if cand else i
            key = cand.key if cand else fold(texts[i])
            if key in self.gaz_nonperson:
                continue
            if i == start and self._titled(a, start) and (cand is None or cand.start == start):
                if cand is None:
                    end = start + 1
                    while end < a.n and a.pos[end] == PROPN_ID and self._name_like(a, end):
                        end += 1
                    key = fold(a.span_text(start, end))
                    if end - start >= 2:
                        full_names[key] = key.split()
                person_words.add(key.split()[-1])
                strong.add(key.split()[-1])
            if (
                a.dep[i] == self.h_nsubj
                and a.lemma[a.head[i]] in self.speech_hashes
                and not a.text[i].isupper()
            ):
                votes.setdefault(key, Counter())[PERSON] += SPEECH_VOTE
        for key, counter in votes.items():
            if " " in key or key in self.gaz_nonperson:
                continue
            other = max((n for lab, n in counter.items() if lab != PERSON), default=0)
            if counter[PERSON] > other:
                person_words.add(key)
        person_words -= set(self.gaz_nonperson)
        label_of = dict(self.gaz_nonperson)
        for key, counter in votes.items():
            if key not in label_of:
                non_person = [(n, lab) for lab, n in counter.most_common() if lab != PERSON]
                if non_person:
                    label_of[key] = non_person[0][1]
        # organisation evidence: a word with it and without a full name, title or gazetteer
        # entry of its own is not a person, however often the model or a speech verb says so
        strong |= {w[-1] for w in full_names.values()} | self.gaz_person
        for key in self.evidence.org_keys(a, cands, votes, strong):
            person_words.discard(key)
            label_of.setdefault(key, "ORG")
            if label_of[key] == PERSON:
                label_of[key] = "ORG"
        return self._apply(a, cands, full_names, person_words, label_of)

    def _is_person(self, key: str, full_names: dict[str, list[str]], person_words: set[str]) -> bool:
        return key in full_names or key in person_words or key in self.gaz_person

    def _apply(
        self,
        a: Arrays,
        cands: list[Cand],
        full_names: dict[str, list[str]],
        person_words: set[str],
        label_of: dict[str, str],
    ) -> list[Cand]:
        """Relabel candidates by the article's decisions, then add the mentions the model missed."""
        out = []
        for c in cands:
            key = c.key if c.label in NAME_LABELS else fold(a.span_text(c.start, c.end))
            if c.label in NAME_LABELS:
                if self._is_person(key, full_names, person_words):
                    c.label = PERSON
                elif key in label_of and (
                    c.label in PLACE_ORG or (c.label == PERSON and c.end - c.start == 1)
                ):
                    c.label = label_of[key]
                elif c.label != PERSON and c.end - c.start > 1:
                    # "the Trump administration" -> PERSON "Trump" (the rest is common words)
                    span = range(c.start, c.end)
                    hits = [k for k in span if fold(a.text[k]) in person_words and self._name_like(a, k)]
                    rest = [k for k in span if k not in hits]
                    if hits and all(a.text[k].islower() or a.is_punct[k] for k in rest):
                        continue  # the scan below adds the name itself
            out.append(c)
        covered = {i for c in out for i in range(c.start, c.end)}
        by_first: dict[str, list[list[str]]] = {}
        for words in [*full_names.values(), *([w] for w in person_words)]:
            by_first.setdefault(words[0], []).append(words)
        texts = a.text
        # mentions the model missed: only tokens whose text can start a person name
        wanted = {t for t, (key, upper) in a.cap_keys().items() if upper and key in by_first}
        for i in a.positions(wanted):
            if i in covered:
                continue
            options = by_first[fold(texts[i])]
            best = 0
            for words in options:
                n = len(words)
                free = not any(k in covered for k in range(i, i + n))
                if n > best and free and [fold(t) for t in texts[i : i + n]] == words:
                    best = n
            if best:
                out.append(Cand(i, i + best, PERSON, "evidence"))
                covered.update(range(i, i + best))
        known = {*person_words, *(w[0] for w in full_names.values()), *self.gaz_nonperson, *self.gaz_person}
        out.sort(key=lambda c: c.start)
        return [c for k, c in enumerate(out) if not self._junk(a, c, out[k + 1 : k + 2], known)]

    def _junk(self, a: Arrays, c: Cand, following: list[Cand], known: set[str]) -> bool:
        """A title word tagged before a person ("State" of "Secretary of State Marco Rubio"),
        or a known name glued to the next word by a bad scrape ("Trumpmade", "Ukrainein")."""
        last = a.text[c.end - 1]
        if c.label != PERSON and c.end - c.start == 1 and self.lex.is_title_word(last):
            return bool(following) and following[0].label == PERSON and following[0].start == c.end
        word = fold(last)
        if c.source == "gazetteer" or len(word) < 6:
            return False
        glued = any(word[:n] in known and word[n:].isalpha() for n in range(4, len(word) - 1))
        return glued and not _is_word(last)

    # --- 4: clusters -----------------------------------------------------------------
    def _titles_of(self, doc: Doc, a: Arrays, start: int, end: int) -> list[str]:
        titles = []
        before = self._title_before(a, start)
        if before:
            titles.append(before)
        root = a.root(start, end)
        appos = [k for k in a.children(root) if a.dep[k] == self.h_appos and k >= end]
        if a.dep[root] == self.h_appos and a.head[root] < start:
            appos.append(a.head[root])
        for k in appos:
            if a.lemma_str(k).lower() not in self.lex.roles and a.lower[k] not in self.lex.roles:
                continue
            head = doc[k]  # rare path: Token objects for the apposition's subtree
            lo, hi = head.left_edge.i, head.i if head.i < start else head.right_edge.i
            words = []
            for t in doc[lo : hi + 1]:
                if start <= t.i < end:
                    break
                if t.text in {",", "(", "\u2014", "--", ";"} and t.i > head.i:
                    break
                words.append(t)
            while words and (words[0].dep_ in {"det", "poss", "punct"} or words[0].lower_ in CONNECTORS):
                words.pop(0)
            if words and len(words) <= 20:
                titles.append(a.span_text(words[0].i, words[-1].i + 1))
        return titles

    def _clusters(self, doc: Doc, a: Arrays, ents: list[tuple[int, int, str]]) -> list[dict]:
        aliases = self.lex.aliases
        persons: list[dict] = []
        others: dict[tuple[str, str], dict] = {}
        ents = [(s, e, lab, a.span_text(s, e)) for s, e, lab in ents]
        full = [x for x in ents if x[2] == PERSON and len(clean_name(x[3]).split()) >= 2]
        full_at = {(x[0], x[1]) for x in full}
        single = [x for x in ents if x[2] == PERSON and (x[0], x[1]) not in full_at]
        for ent in full:
            name = clean_name(ent[3])
            home = next((c for c in persons if same_person(c["name"], name)), None)
            if home is None:
                home = {"name": name, "ents": []}
                persons.append(home)
            home["name"] = fuller(home["name"], name)
            home["ents"].append(ent)
        for ent in single:
            word = fold(ent[3])
            known = aliases.lookup(ent[3])
            homes = [c for c in persons if same_surname(name_parts(c["name"])[1], word)]
            if not homes and known:
                homes = [c for c in persons if aliases.lookup(c["name"]) == known]
            if not homes:
                homes = [c for c in persons if name_parts(c["name"])[0][:1] == (word,)]
            if len(homes) > 1:  # same surname, two people: the one mentioned last before
                homes = [max(homes, key=lambda c, at=ent[0]: _last_before(c["ents"], at))]
            if homes:
                homes[0]["ents"].append(ent)
            else:
                persons.append({"name": clean_name(ent[3]), "ents": [ent]})
        out = []
        for c in persons:
            cid, cname = aliases.canonical(c["name"])
            out.append(self._record(doc, a, cid, cname, PERSON, c["ents"]))
        for ent in ents:
            if ent[2] == PERSON:
                continue
            known = aliases.lookup(ent[3])
            key = (ent[2], known[0] if known else fold(ent[3]))
            others.setdefault(key, {"known": known, "ents": []})["ents"].append(ent)
        for (label, key), c in others.items():
            counts: dict[str, int] = {}
            for e in c["ents"]:
                name = clean_name(e[3])
                counts[name] = counts.get(name, 0) + 1
            surface = max(counts, key=counts.__getitem__)  # most common, first seen on ties
            cid, cname = c["known"] or (slug(surface) or key, surface)
            out.append(self._record(doc, a, cid, cname, label, c["ents"]))
        return out

    def _record(self, doc: Doc, a: Arrays, cid: str, cname: str, label: str, ents: list[tuple]) -> dict:
        ents = sorted(ents, key=lambda e: e[0])
        seen_titles: list[str] = []
        if label == PERSON:
            for e in ents:
                for t in self._titles_of(doc, a, e[0], e[1]):
                    if t not in seen_titles:
                        seen_titles.append(t)
        return {
            "canonical_id": cid,
            "canonical_name": cname,
            "label": label,
            "aliases": list(dict.fromkeys(e[3] for e in ents)),
            "titles": seen_titles,
            "mentions": [[a.idx[e[0]], a.idx[e[0]] + len(e[3])] for e in ents],
        }


def _last_before(ents: list[tuple], at: int) -> int:
    return max((e[0] for e in ents if e[0] < at), default=-1)


def _is_word(text: str) -> bool:
    """Is this an ordinary English word ("Americans"), not two words run together?"""
    from wordfreq import zipf_frequency  # loaded only when a glued-looking token appears

    return zipf_frequency(text, "en") > 1.5


@Language.factory(
    "newsmine_entities",
    default_config={"data_dir": ""},
    assigns=["doc.ents", f"doc._.{PEOPLE}"],
    requires=["doc.ents", "token.dep", "token.pos"],
)
def make_entities(nlp: Language, name: str, data_dir: str) -> EntityNormaliser:
    """``data_dir`` overrides the rule-data folder (default ``models/entities``, or $NEWSMINE_MODELS)."""
    return EntityNormaliser(nlp, name, data_dir)
