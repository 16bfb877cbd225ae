"""Where the rule data lives, and the one loader every stage reads it with.

Rule data (cue verbs, gazetteers, alias tables, lexicons) sits in the repository's
top-level ``models/`` so users can extend it without touching code; a wheel carries the
same files as package data (``newsmine/models``), so an installed newsmine runs from any
directory. ``NEWSMINE_MODELS`` points elsewhere, e.g. for a deployment that keeps its
own curated lexicons.

Formats, one per kind of data:

* ``.txt`` — a word list, one entry per line, ``#`` starts a comment. A setting may name
  several lists (``["lexicon/roles.txt", "quotes/roles.txt"]``): a concept shared by
  every stage lives once under ``models/lexicon/`` and a stage's own list beside it adds
  entries, or takes one away with a leading ``-`` (``-head``), so each stage sees
  exactly its set and the difference is written down in one place.
* ``.json`` — an object of named sections (lists, mappings, numbers); keys starting with
  ``_`` are notes. Its reader names the keys it knows.
* ``.jsonl`` — one JSON object per line (the gazetteer's patterns).

The loader fails loudly, naming the file: a missing file (a misspelled name in the
config must not become an empty list), a duplicate entry, a removal of an entry that
is not there, an unknown or missing key. Components read through a ``RuleSource``, so
the same code reads ``models/``, a pipeline saved with ``nlp.to_disk`` or bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PACKAGED = Path(__file__).resolve().parent / "models"  # a wheel install: newsmine/models
_CHECKOUT = Path(__file__).resolve().parent.parent / "models"  # a source or editable checkout
_DEFAULT = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


class RuleDataError(ValueError):
    """Rule data that cannot be used as it is; the message starts with the file's path."""


def models_dir() -> Path:
    """The folder holding ``pipeline.toml`` and the rule data of every component:
    ``$NEWSMINE_MODELS``, else the copy inside an installed wheel, else the checkout's."""
    override = os.environ.get("NEWSMINE_MODELS")
    if override:
        return Path(override)
    return _DEFAULT


def model_file(*parts: str) -> Path:
    """A file under the models folder, e.g. ``model_file("quotes", "cue_nouns.txt")``."""
    return models_dir().joinpath(*parts)


@dataclass
class RuleSource:
    """Where rule files are read from: a folder (``models/`` or a saved pipeline's
    component folder) or, for ``from_bytes``, texts in memory. Records what it read."""

    root: Path | None = None
    texts: Mapping[str, str] | None = None
    read: dict[str, str] = field(default_factory=dict)

    @classmethod
    def models(cls) -> RuleSource:
        """The rule data under ``models_dir()``."""
        return cls(root=models_dir())

    def where(self, rel: str) -> str:
        """The file's path for messages (``saved:<rel>`` for texts from bytes)."""
        return str(self.root / rel) if self.root is not None else f"saved:{rel}"

    def text(self, rel: str) -> str:
        """The text of one rule file; a missing one is an error naming it."""
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise RuleDataError(f"{rel}: rule files are named relative to models/ (NEWSMINE_MODELS moves it)")
        if rel in self.read:
            return self.read[rel]
        if self.texts is not None:
            if rel not in self.texts:
                raise RuleDataError(f"{self.where(rel)}: rule data file not found")
            text = self.texts[rel]
        else:
            path = (self.root or Path()) / rel
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise RuleDataError(f"{path}: rule data file not found") from None
            except OSError as exc:
                raise RuleDataError(f"{path}: unreadable rule data ({exc.strerror or exc})") from None
        self.read[rel] = text
        return text


def files_of(setting: str | Sequence[str]) -> list[str]:
    """The file names of a setting that names one file or a list of them."""
    return [setting] if isinstance(setting, str) else list(setting)


def read_words(
    source: RuleSource, setting: str | Sequence[str], *, fold: Callable[[str], str] | None = None
) -> list[str]:
    """The entries of one word list or a chain of them (see the module doc), in order.

    ``fold`` is how the consumer compares entries (``str.lower`` for lists matched
    case-insensitively): two entries equal after it are duplicates.
    """
    norm = fold or (lambda w: w)
    entries: dict[str, str] = {}  # folded -> as written, in order
    for rel in files_of(setting):
        for lineno, line in enumerate(source.text(rel).splitlines(), 1):
            word = line.split("#", 1)[0].strip()
            if not word:
                continue
            where = f"{source.where(rel)}:{lineno}"
            if word.startswith("-") and len(word) > 1:
                key = norm(word[1:].strip())
                if key not in entries:
                    raise RuleDataError(f"{where}: removes {word[1:].strip()!r}, which no earlier list has")
                del entries[key]
                continue
            if norm(word) in entries:
                raise RuleDataError(f"{where}: duplicate entry {word!r}")
            entries[norm(word)] = word
    return list(entries.values())


def read_word_set(source: RuleSource, setting: str | Sequence[str]) -> frozenset[str]:
    """A word list (or chain) compared lower-cased, as a set of lower-cased words."""
    return frozenset(w.lower() for w in read_words(source, setting, fold=str.lower))


def _unique_pairs(where: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise RuleDataError(f"{where}: duplicate key {key!r}")
            out[key] = value
        return out

    return hook


def _check_lists(where: str, data: Mapping[str, Any], fold: Callable[[str], str]) -> None:
    for key, value in data.items():
        if not isinstance(value, list):
            continue
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str):
                continue
            if fold(item) in seen:
                raise RuleDataError(f"{where}: duplicate entry {item!r} in {key!r}")
            seen.add(fold(item))


def read_json(
    source: RuleSource,
    rel: str,
    *,
    required: Collection[str] = (),
    optional: Collection[str] = (),
    any_keys: bool = False,
    fold: Callable[[str], str] = str,
) -> dict[str, Any]:
    """A JSON rule file's sections, notes (``_`` keys) left out.

    Unknown keys, missing ``required`` ones, duplicate keys and duplicate entries in a
    list section (compared after ``fold``) are errors. ``any_keys`` is for files keyed
    by data (the alias table's ids).
    """
    where = source.where(rel)
    try:
        data = json.loads(source.text(rel), object_pairs_hook=_unique_pairs(where))
    except json.JSONDecodeError as exc:
        raise RuleDataError(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise RuleDataError(f"{where}: expected a JSON object")
    data = {k: v for k, v in data.items() if not k.startswith("_")}
    known = set(required) | set(optional)
    unknown = sorted(set(data) - known) if not any_keys else []
    if unknown:
        raise RuleDataError(f"{where}: unknown key(s) {unknown} (known: {sorted(known)})")
    missing = sorted(set(required) - set(data))
    if missing:
        raise RuleDataError(f"{where}: missing key(s) {missing}")
    _check_lists(where, data, fold)
    return data


def read_jsonl(source: RuleSource, rel: str) -> list[tuple[str, dict[str, Any]]]:
    """``(path:line, object)`` for every line of a JSONL file (blank, ``#`` and ``//`` lines skipped)."""
    out = []
    for lineno, line in enumerate(source.text(rel).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "//")):
            continue
        where = f"{source.where(rel)}:{lineno}"
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise RuleDataError(f"{where}: bad entry ({exc})") from None
        if not isinstance(entry, dict):
            raise RuleDataError(f"{where}: expected a JSON object")
        out.append((where, entry))
    return out
