"""newsmine_entities: entities an analyst can trust, consistent across one article.

The small model labels the same name differently from sentence to sentence (Zelenskyy
GPE, ORG and PERSON in one article) and returns junk ("Getty Imageshide", "State Marco
Rubio"). This component runs after ``ner`` and

1. applies the gazetteer (``models/entities/gazetteer.jsonl``), which wins over the model;
2. trims titles, possessives and credit junk from spans;
3. settles each name's label by the evidence of the whole article: a full name, a
   title + name or a gazetteer entry makes a name PERSON at every mention (also the ones
   the model missed or called ORG/GPE); otherwise votes (model labels, being the subject
   of a speech verb) decide, never the first mention alone;
4. clusters mentions (full name, surname, title + surname, possessive -> fullest name;
   places/orgs by normalised text) into ``doc._.newsmine_people`` with canonical ids from
   the alias table and the titles seen next to each person.
"""

from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.components.attrs import PEOPLE
from pipeline.components.gazetteer import Gazetteer, Lexicon, data_dir
from pipeline.names import PARTICLES, clean_name, fold, fuller, name_parts, same_person, same_surname, slug

PROPN_ID = POS_IDS["PROPN"]

PERSON = "PERSON"
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT"})
PLACE_ORG = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
CONNECTORS = frozenset({"of", "for", "and", "the", "'s", "\u2019s"})
SPEECH_VOTE = 2  # a speech-verb subject counts as much as two model labels


@dataclass
class Cand:
    """A candidate entity in token offsets while the article's evidence is weighed."""

    start: int
    end: int
    label: str
    source: str  # "model", "gazetteer" or "evidence"
    titles: list[str] = field(default_factory=list)


class EntityNormaliser(Pipe):
    """Gazetteer + article-level label consistency + mention clustering (see module doc)."""

    def __init__(self, nlp: Language, name: str, data_dir_: str = "") -> None:
        self.name = name
        folder = data_dir(data_dir_)
        self.lex = Lexicon.from_dir(folder)
        self.gazetteer = Gazetteer(nlp, folder / "gazetteer.jsonl")
        self.gaz_nonperson = {fold(t): lab for t, lab in self.gazetteer.surface.items() if lab != PERSON}
        self.gaz_person = {fold(t) for t, lab in self.gazetteer.surface.items() if lab == PERSON}

    def __call__(self, doc: Doc) -> Doc:
        try:
            cands = self._merge_gazetteer(doc, self._model_candidates(doc))
            cands = self._settle_labels(doc, cands)
            spans = filter_spans([Span(doc, c.start, c.end, label=c.label) for c in cands])
            doc.set_ents(spans, default="outside")
            doc._.set(PEOPLE, self._clusters(doc))
        except Exception as err:  # one bad document is reported, not fatal
            self.get_error_handler()(self.name, self, [doc], err)
        return doc

    # --- 1-2: candidates -------------------------------------------------------------
    def _name_like(self, tok: Token) -> bool:
        text = tok.text
        return (text[:1].isupper() or text.lower() in PARTICLES) and not self.lex.is_title_word(text)

    def _title_able(self, tok: Token) -> bool:
        return (
            self.lex.is_title_word(tok.text)
            or tok.lower_ in CONNECTORS
            or fold(tok.text) in self.gaz_nonperson
            or (tok.pos_ == "ADJ" and tok.text[:1].isupper())
        )

    def _trim_person(self, doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """Drop leading titles ("Secretary of State Marco Rubio" -> "Marco Rubio") and junk."""
        i, cut = start, None
        while i < end and self._title_able(doc[i]):
            if self.lex.is_title_word(doc[i].text):
                cut = i + 1
            i += 1
        if cut is not None:
            start = cut
        while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
            start += 1
        if start >= end or not any(self._name_like(t) for t in doc[start:end]):
            return None
        return start, end

    def _model_candidates(self, doc: Doc) -> list[Cand]:
        cands = []
        for ent in doc.ents:
            start, end = ent.start, ent.end
            while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
                end -= 1
            if end <= start:
                continue
            junk = [self.lex.junk_kind(t.text) for t in doc[start:end]]
            if (ent.label_ == PERSON and any(junk)) or "glued" in junk:
                continue
            if ent.label_ == PERSON:
                trimmed = self._trim_person(doc, start, end)
                if trimmed is None:
                    continue
                start, end = trimmed
            cands.append(Cand(start, end, ent.label_, "model"))
        return cands

    def _merge_gazetteer(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        """Gazetteer matches replace overlapping model spans, except inside a longer person name."""
        kept = list(cands)
        for g in self.gazetteer(doc):
            over = [c for c in kept if c.start < g.end and g.start < c.end]
            inside_name = any(
                c.label == PERSON
                and c.start <= g.start
                and g.end <= c.end
                and (g.label_ == PERSON or any(self._name_like(t) for t in doc[c.start : g.start]))
                for c in over
            )
            if inside_name:  # "George Washington", "Jill Biden" stay whole persons
                continue
            kept = [c for c in kept if c not in over]
            kept.append(Cand(g.start, g.end, g.label_, "gazetteer"))
        return sorted(kept, key=lambda c: c.start)

    # --- 3: evidence across the article ----------------------------------------------
    def _title_before(self, doc: Doc, start: int) -> str | None:
        """The title phrase ending right before token ``start`` ("Russian Foreign Minister")."""
        j = start - 1
        if j < 0 or not self.lex.is_title_word(doc[j].text) or doc[j].lower_ in self.lex.honorifics:
            return None
        while j > 0 and start - j < 7 and self._title_able(doc[j - 1]) and doc[j - 1].ent_type_ != PERSON:
            j -= 1
        while doc[j].lower_ in CONNECTORS:
            j += 1
        words = doc[j:start]
        if not any(t.lower_ in self.lex.roles for t in words):
            return None
        return words.text

    def _role_apposition(self, span: Span) -> bool:
        """Is the span followed by an apposition headed by a role noun (", a senior analyst")?"""
        roles = self.lex.roles
        kids = span.root.children
        return any(t.dep_ == "appos" and t.i >= span.end and t.lemma_.lower() in roles for t in kids)

    def _titled(self, doc: Doc, start: int) -> bool:
        """Is the name at ``start`` preceded by a role title or an honorific (Mr, Dr)?"""
        if start == 0:
            return False
        return doc[start - 1].lower_ in self.lex.honorifics or bool(self._title_before(doc, start))

    def _settle_labels(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        lex = self.lex
        votes: dict[str, Counter] = {}
        full_names: dict[str, list[str]] = {}  # folded full name -> its words
        person_words: set[str] = set()
        for c in cands:
            if c.label not in NAME_LABELS:
                continue
            span = doc[c.start : c.end]
            key = fold(span.text)
            votes.setdefault(key, Counter())[c.label] += 1
            names = [t for t in span if self._name_like(t)]
            if c.label == PERSON and len(span) >= 2 and len(names) == len(span):
                full_names[key] = key.split()
                person_words.add(key.split()[-1])
            elif c.label == PERSON and c.source == "gazetteer":
                person_words.add(key)
            elif c.source == "model" and len(names) == len(span) and self._role_apposition(span):
                # "Kagiso Dlamini, a senior analyst at ..." is a person whatever the model said
                if len(span) >= 2:
                    full_names[key] = key.split()
                person_words.add(key.split()[-1])
        cand_at = {i: c for c in cands for i in range(c.start, c.end)}
        # title + name and speech-verb subjects, including names the model missed; only
        # proper nouns can be either, and skipping the rest avoids a Token per word
        for i in (doc.to_array(POS) == PROPN_ID).nonzero()[0].tolist():
            tok = doc[i]
            if not self._name_like(tok):
                continue
            cand = cand_at.get(tok.i)
            if cand and cand.label not in NAME_LABELS:
                continue
            start = cand.start if cand else tok.i
            key = fold(doc[start : cand.end].text) if cand else fold(tok.text)
            if key in self.gaz_nonperson:
                continue
            if tok.i == start and self._titled(doc, start) and (cand is None or cand.start == start):
                if cand is None:
                    end = start + 1
                    while end < len(doc) and doc[end].pos_ == "PROPN" and self._name_like(doc[end]):
                        end += 1
                    key = fold(doc[start:end].text)
                    if end - start >= 2:
                        full_names[key] = key.split()
                person_words.add(key.split()[-1])
            if tok.dep_ == "nsubj" and tok.head.lemma_ in lex.speech_verbs and not tok.text.isupper():
                votes.setdefault(key, Counter())[PERSON] += SPEECH_VOTE
        for key, counter in votes.items():
            if " " in key or key in self.gaz_nonperson:
                continue
            other = max((n for lab, n in counter.items() if lab != PERSON), default=0)
            if counter[PERSON] > other:
                person_words.add(key)
        person_words -= set(self.gaz_nonperson)
        label_of = {k: v for k, v in self.gaz_nonperson.items()}
        for key, counter in votes.items():
            if key not in label_of:
                non_person = [(n, lab) for lab, n in counter.most_common() if lab != PERSON]
                if non_person:
                    label_of[key] = non_person[0][1]
        return self._apply(doc, cands, full_names, person_words, label_of)

    def _is_person(self, key: str, full_names: dict[str, list[str]], person_words: set[str]) -> bool:
        return key in full_names or key in person_words or key in self.gaz_person

    def _apply(
        self,
        doc: Doc,
        cands: list[Cand],
        full_names: dict[str, list[str]],
        person_words: set[str],
        label_of: dict[str, str],
    ) -> list[Cand]:
        """Relabel candidates by the article's decisions, then add the mentions the model missed."""
        out = []
        for c in cands:
            span = doc[c.start : c.end]
            key = fold(span.text)
            if c.label in NAME_LABELS:
                if self._is_person(key, full_names, person_words):
                    c.label = PERSON
                elif key in label_of and (c.label in PLACE_ORG or (c.label == PERSON and len(span) == 1)):
                    c.label = label_of[key]
                elif c.label != PERSON and len(span) > 1:
                    # "the Trump administration" -> PERSON "Trump" (the rest is common words)
                    hits = [t for t in span if fold(t.text) in person_words and self._name_like(t)]
                    rest = [t for t in span if t not in hits]
                    if hits and all(t.is_lower or t.is_punct for t in rest):
                        continue  # the scan below adds the name itself
            out.append(c)
        covered = {i for c in out for i in range(c.start, c.end)}
        by_first: dict[str, list[list[str]]] = {}
        for words in [*full_names.values(), *([w] for w in person_words)]:
            by_first.setdefault(words[0], []).append(words)
        texts = [t.text for t in doc]
        i = 0
        while i < len(texts):  # mentions the model missed
            options = by_first.get(fold(texts[i])) if i not in covered and texts[i][:1].isupper() else None
            if options:
                best = 0
                for words in options:
                    n = len(words)
                    free = not any(k in covered for k in range(i, i + n))
                    if n > best and free and [fold(t) for t in texts[i : i + n]] == words:
                        best = n
                if best:
                    out.append(Cand(i, i + best, PERSON, "evidence"))
                    i += best
                    continue
            i += 1
        known = {*person_words, *(w[0] for w in full_names.values()), *self.gaz_nonperson, *self.gaz_person}
        out.sort(key=lambda c: c.start)
        return [c for k, c in enumerate(out) if not self._junk(doc, c, out[k + 1 : k + 2], known)]

    def _junk(self, doc: Doc, c: Cand, following: list[Cand], known: set[str]) -> bool:
        """A title word tagged before a person ("State" of "Secretary of State Marco Rubio"),
        or a known name glued to the next word by a bad scrape ("Trumpmade", "Ukrainein")."""
        span = doc[c.start : c.end]
        if c.label != PERSON and len(span) == 1 and self.lex.is_title_word(span.text):
            return bool(following) and following[0].label == PERSON and following[0].start == c.end
        word = fold(span[-1].text)
        if c.source == "gazetteer" or len(word) < 6:
            return False
        glued = any(word[:n] in known and word[n:].isalpha() for n in range(4, len(word) - 1))
        return glued and not _is_word(span[-1].text)

    # --- 4: clusters -----------------------------------------------------------------
    def _titles_of(self, span: Span) -> list[str]:
        doc, titles = span.doc, []
        before = self._title_before(doc, span.start)
        if before:
            titles.append(before)
        root = span.root
        appos = [t for t in root.children if t.dep_ == "appos" and t.i >= span.end]
        if root.dep_ == "appos" and root.head.i < span.start:
            appos.append(root.head)
        for head in appos:
            if head.lemma_.lower() not in self.lex.roles and head.lower_ not in self.lex.roles:
                continue
            lo, hi = head.left_edge.i, head.i if head.i < span.start else head.right_edge.i
            words = []
            for t in doc[lo : hi + 1]:
                if t.i >= span.start and t.i < span.end:
                    break
                if t.text in {",", "(", "\u2014", "--", ";"} and t.i > head.i:
                    break
                words.append(t)
            while words and (words[0].dep_ in {"det", "poss", "punct"} or words[0].lower_ in CONNECTORS):
                words.pop(0)
            if words and len(words) <= 20:
                titles.append(doc[words[0].i : words[-1].i + 1].text)
        return titles

    def _clusters(self, doc: Doc) -> list[dict]:
        aliases = self.lex.aliases
        persons: list[dict] = []
        others: dict[tuple[str, str], dict] = {}
        ents = list(doc.ents)
        full = [e for e in ents if e.label_ == PERSON and len(clean_name(e.text).split()) >= 2]
        full_at = {(e.start, e.end) for e in full}
        single = [e for e in ents if e.label_ == PERSON and (e.start, e.end) not in full_at]
        for ent in full:
            name = clean_name(ent.text)
            home = next((c for c in persons if same_person(c["name"], name)), None)
            if home is None:
                home = {"name": name, "ents": []}
                persons.append(home)
            home["name"] = fuller(home["name"], name)
            home["ents"].append(ent)
        for ent in single:
            word = fold(ent.text)
            known = aliases.lookup(ent.text)
            homes = [c for c in persons if same_surname(name_parts(c["name"])[1], word)]
            if not homes and known:
                homes = [c for c in persons if aliases.lookup(c["name"]) == known]
            if not homes:
                homes = [c for c in persons if name_parts(c["name"])[0][:1] == (word,)]
            if len(homes) > 1:  # same surname, two people: the one mentioned last before
                homes = [max(homes, key=lambda c, at=ent.start: _last_before(c["ents"], at))]
            if homes:
                homes[0]["ents"].append(ent)
            else:
                home = {"name": clean_name(ent.text), "ents": [ent]}
                persons.append(home)
        out = []
        for c in persons:
            cid, cname = aliases.lookup(c["name"]) or (slug(c["name"]), c["name"])
            out.append(self._record(cid, cname, PERSON, c["ents"], titles=True))
        for ent in ents:
            if ent.label_ == PERSON:
                continue
            known = aliases.lookup(ent.text)
            key = (ent.label_, known[0] if known else fold(ent.text))
            others.setdefault(key, {"known": known, "ents": []})["ents"].append(ent)
        for (label, key), c in others.items():
            surface = Counter(clean_name(e.text) for e in c["ents"]).most_common(1)[0][0]
            cid, cname = c["known"] or (slug(surface) or key, surface)
            out.append(self._record(cid, cname, label, c["ents"], titles=False))
        return out

    def _record(self, cid: str, cname: str, label: str, ents: list[Span], titles: bool) -> dict:
        ents = sorted(ents, key=lambda e: e.start)
        seen_titles: list[str] = []
        if titles:
            for e in ents:
                for t in self._titles_of(e):
                    if t not in seen_titles:
                        seen_titles.append(t)
        return {
            "canonical_id": cid,
            "canonical_name": cname,
            "label": label,
            "aliases": list(dict.fromkeys(e.text for e in ents)),
            "titles": seen_titles,
            "mentions": [[e.start_char, e.end_char] for e in ents],
        }


def _last_before(ents: list[Span], at: int) -> int:
    return max((e.start for e in ents if e.start < at), default=-1)


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
