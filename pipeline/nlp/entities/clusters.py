"""Step 4 of ``newsmine_entities``: mentions clustered into people, places and organisations.

Persons: full names first (same or one-edit surname with compatible first names make one
person), then single words join the person whose surname (or alias, or first name) they
are, the one mentioned last before on a tie. Places and organisations cluster by their
normalised text. Each cluster gets its canonical id from the alias table and the titles
seen next to its mentions; records are plain dicts (see ``newsmine.nlp.attrs``).
"""

from spacy.tokens import Doc

from newsmine.nlp.entities.arrays import Arrays
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
