"""What a batch of files is given and what it gives back: the contract between the
runner and the engines, apart from the code that does the work (``run.batch``).

Apart because ``run.batch`` imports spaCy and the whole NLP stack (0.5 s of CPU): the
parent of a worker pool only sends settings and receives results, and importing them
there took a core from the two workers loading their models at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsmine.tables.schemas import PARTITIONED as TABLE_NAMES
from newsmine.tables.schemas import Rows


@dataclass(frozen=True)
class ProcessSettings:
    """Everything a worker needs to process files the same way as every other worker.

    ``batch_chars`` caps the characters of one spaCy minibatch (besides ``batch_size``
    texts): the tok2vec layers hold ~10 KB per token of a minibatch at once, so 32 long
    articles meant a peak ~300 MiB above a worker's resting size and the peak grew with
    the longest articles of a run (the parser, which holds far less, takes several such
    minibatches at once: ``run.minibatch``). ``permanent_vocab``: see ``_zone``.
    """

    model: str | None
    version: str
    batch_size: int = 32
    max_bytes: int = 2_000_000
    max_chars: int = 1_000_000
    languages: tuple[str, ...] = ("en",)
    text_field: str | None = None
    batch_chars: int = 25_000
    permanent_vocab: int = 10_000
    stored_ids: bool = False  # a run's rows: doc ids scoped by path (see ``scoped``)


@dataclass
class FileOutcome:
    """What the manifest records about one processed source file."""

    rel_path: str
    drop: str
    size: int
    mtime_ns: int
    sha256: str
    doc_ids: list[str]
    n_failed: int
    errors: list[str]
    failures: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    retry: bool = False


@dataclass
class BatchResult:
    rows: Rows = field(default_factory=lambda: {name: [] for name in TABLE_NAMES})
    files: list[FileOutcome] = field(default_factory=list)
    n_words: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def add_rows(self, rows: Rows) -> None:
        for name in TABLE_NAMES:
            self.rows[name].extend(rows.get(name, []))
