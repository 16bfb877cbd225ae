"""What kind of failure a ``failed`` row records, and which failures stop the run instead.

Two kinds of trouble, handled in opposite ways:

* **The environment** (a module that does not import, a missing base model, a missing
  or unreadable rule file): no article is at fault and every article would fail the
  same way, so the run stops with one line naming the thing and what to do, exit 2,
  nothing written. :class:`EnvironmentProblem` carries that line.
* **One article**: a ``failed`` row with the reason. Whether the next run retries it
  depends on :func:`failure_label`: a property of the file's bytes (undecodable, over
  the size limit, no article text) stays failed until the file changes; anything else
  (a component error, a read error, a timeout) may heal, so it is retried.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Protocol

from newsmine.nlp.config import ModelNotFound
from newsmine.rules import RuleDataError

# What a failure reason says, as "pattern on the error text  ->  label for counts  [bytes]";
# [bytes] marks a property of the file's bytes (retrying cannot help until the file changes).
_TABLE = r"""
byte limit                                          -> over the size limit            [bytes]
max_length                                          -> over the parser's text limit   [bytes]
^empty file|file is blank|^no text \(               -> blank file                     [bytes]
binary                                              -> binary content                 [bytes]
undecodable|^invalid utf-|byte order mark           -> undecodable                    [bytes]
malformed json                                      -> malformed json                 [bytes]
where an object was expected|has no text field      -> no text field in the json      [bytes]
^no article text found                              -> no article text found          [bytes]
is a directory|not a regular file                   -> not a regular file             [bytes]
^component (\S+) failed                             -> component \1 failed
^spaCy failed                                       -> spaCy failed
^cleaning failed                                    -> cleaning failed
^building rows failed                               -> building rows failed
permission denied                                   -> permission denied
vanished                                            -> file vanished
^read error                                         -> read error
timed? ?out                                         -> timeout
^unreadable \(                                      -> reader error
"""


def _kinds(table: str) -> tuple[tuple[re.Pattern[str], str, bool], ...]:
    rows = []
    for line in filter(str.strip, table.splitlines()):
        pattern, rest = (part.strip() for part in line.split("->"))
        rows.append((re.compile(pattern), rest.removesuffix("[bytes]").strip(), rest.endswith("[bytes]")))
    return tuple(rows)


_KINDS = _kinds(_TABLE)


class EnvironmentProblem(RuntimeError):
    """The machine, not an article, is at fault: one line naming the thing and the fix."""


ENVIRONMENT_ERRORS = (ImportError, ModelNotFound, RuleDataError)


def environment_problem(exc: BaseException, module: str | None = None) -> EnvironmentProblem:
    """The one-line message for an environment error (``module``: what was being imported)."""
    if isinstance(exc, ImportError):
        module = module or getattr(exc, "name", None) or "a module"
        return EnvironmentProblem(
            f"cannot import {module} ({exc}); reinstall newsmine's dependencies: "
            "pip install --no-deps -r requirements.lock"
        )
    if isinstance(exc, RuleDataError):
        return EnvironmentProblem(f"{exc}; fix or restore the file (NEWSMINE_MODELS points elsewhere)")
    return EnvironmentProblem(str(exc))


class _Record(Protocol):
    n_failed: int
    retry: bool
    skipped: dict[str, int]


def retry_predicate(retry_failed: bool, languages: Collection[str]) -> Callable[[_Record], bool]:
    """Which unchanged files a run redoes: failures that may heal (every failure with
    ``--retry-failed``), and files with articles skipped for a language now extracted."""
    wanted = {f"language {code}" for code in languages}

    def retry(record: _Record) -> bool:
        if record.retry or (retry_failed and record.n_failed):
            return True
        return bool(wanted & set(record.skipped))

    return retry


def by_reason(counts: Mapping[str, int]) -> str:
    """``2 language fr, 1 language de``: most frequent first, then by name (stable in logs)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {reason}" for reason, n in ranked)


def failure_label(error: str) -> tuple[str, bool]:
    """``(label, permanent)`` of a failure reason: its kind for counts, and whether it is a
    property of the file's bytes (retrying cannot help until the file changes)."""
    for pattern, label, permanent in _KINDS:
        match = pattern.search(error)
        if match:
            return match.expand(label), permanent
    return " ".join(error.split(":", 1)[0].split())[:60], False
