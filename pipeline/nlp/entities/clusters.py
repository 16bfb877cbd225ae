"""Step 4 of ``newsmine_entities``: mentions clustered into people, places and organisations.

Persons: full names first (same or one-edit surname with compatible first names make one
person), then single words join the person whose surname (or alias, or first name) they
are (in the body, only a person named before it): of several namesakes the one just
named, else the one named most so far. Places and organisations cluster by their
normalised text. Each cluster gets its canonical id from the alias table, the titles
seen next to its mentions and, for a person, a ``gender`` (``entities.gender``: an
honorific or gendered noun before a mention or in a title, else the first name; None when
unknown or in conflict). A surname with an honorific of the other gender (``Mr. Clinton``
after ``Hillary Clinton``) does not join that person. Records are plain dicts (see
``newsmine.nlp.attrs``).
"""

from spacy.tokens import Doc

from newsmine.nlp.entities.arrays import Arrays
from newsmine.nlp.entities.gender import agreed
from newsmine.nlp.entities.labelling import CONNECTORS, Steps
from newsmine.nlp.entities.names import clean_name, fold, fuller, name_parts, same_person, same_surname, slug
from newsmine.nlp.labels import PERSON


class Clustering(Steps):
    """The clustering step of ``EntityNormaliser`` (a mixin: it reads the rule data)."""

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
        first_break = a.doc_text.find("\n")
        for ent in single:
            word = fold(ent[3])
            known = aliases.lookup(ent[3])
            homes = [c for c in persons if same_surname(name_parts(c["name"])[1], word)]
            if not homes and known:
                homes = [c for c in persons if aliases.lookup(c["name"]) == known]
            if not homes:
                homes = [c for c in persons if name_parts(c["name"])[0][:1] == (word,)]
            if 0 <= first_break < a.idx[ent[0]]:  # a headline may name someone introduced later;
                # in the body a surname follows its full name: `Fiorina` before `Frank Fiorina` is not him
                homes = [c for c in homes if _named_at(c) < ent[0]]
            said = self._gender_before(a, ent[0])
            if said:  # `Mr. Clinton` is not Hillary Clinton
                homes = [c for c in homes if self._person_gender(a, c["name"], c["ents"])[0] in (None, said)]
            if len(homes) > 1:  # same surname, two people (Carly and Frank Fiorina)
                homes = [_likelier(homes, ent[0])]
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

    def _gender_before(self, a: Arrays, start: int) -> str | None:
        """The gender the word right before a mention gives it (`Mrs.`, `actress`), if any."""
        return self.lex.genders.get(a.lower[start - 1]) if start > 0 else None

    def _person_gender(self, a: Arrays, name: str, ents: list[tuple], titles: list[str] = ()
                       ) -> tuple[str | None, str | None]:
        """(gender, source): honorifics (``honorific``) and gendered nouns (``title``) before
        the mentions or in the titles, else the first name of the fullest name
        (``first_name``); (None, None) when unknown or when the article's words disagree."""
        genders, honorifics = self.lex.genders, self.lex.honorifics
        said = []  # (gender, source) of each gendered word
        for e in ents:
            word = a.lower[e[0] - 1] if e[0] > 0 else ""
            if genders.get(word):
                said.append((genders[word], "honorific" if word in honorifics else "title"))
        said += [(genders[w], "title") for t in titles for w in t.lower().split() if genders.get(w)]
        if said:
            gender = agreed(g for g, _ in said)
            sources = [s for g, s in said if g == gender]
            return (gender, "honorific" if "honorific" in sources else "title") if gender else (None, None)
        gender = self.lex.names.of_name(name)
        return (gender, "first_name") if gender else (None, None)

    def _record(self, doc: Doc, a: Arrays, cid: str, cname: str, label: str, ents: list[tuple]) -> dict:
        ents = sorted(ents, key=lambda e: e[0])
        seen_titles: list[str] = []
        gender = source = None
        if label == PERSON:
            for e in ents:
                for t in self._titles_of(doc, a, e[0], e[1]):
                    if t not in seen_titles:
                        seen_titles.append(t)
            fullest = cname
            for e in ents:
                fullest = fuller(fullest, clean_name(e[3]))
            gender, source = self._person_gender(a, fullest, ents, seen_titles)
        return {
            "canonical_id": cid,
            "canonical_name": cname,
            "label": label,
            "aliases": list(dict.fromkeys(e[3] for e in ents)),
            "titles": seen_titles,
            "gender": gender,
            "gender_source": source,
            "mentions": [[a.idx[e[0]], a.idx[e[0]] + len(e[3])] for e in ents],
        }


def _last_before(ents: list[tuple], at: int) -> int:
    return max((e[0] for e in ents if e[0] < at), default=-1)


def _named_at(person: dict) -> int:
    """Where a person is first named in full (a lone surname before that, say in the
    headline, does not count), or first mentioned if never in full."""
    full = [e[0] for e in person["ents"] if len(clean_name(e[3]).split()) >= 2]
    return min(full) if full else min(e[0] for e in person["ents"])


_JUST_NAMED = 30  # tokens: a namesake named this close before is the one meant


def _likelier(homes: list[dict], at: int) -> dict:
    """Which of several people with one surname a bare surname at token ``at`` is: the
    one just named (`Frank Fiorina said ... Fiorina added`), else the one the article has
    named most so far (the protagonist, not a relative mentioned once), else the latest."""
    recent = [c for c in homes if at - _JUST_NAMED <= _last_before(c["ents"], at)]
    if len(recent) == 1:
        return recent[0]
    return max(homes, key=lambda c: (sum(1 for e in c["ents"] if e[0] < at), _last_before(c["ents"], at)))
