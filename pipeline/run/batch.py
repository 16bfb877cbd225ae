"""Process one batch of source files: read, clean, run spaCy, build table rows.

This is the single unit of work every engine runs (in-process, a process pool,
or a Dask worker), so all engines produce the same rows by construction. It
returns plain Python data only, cheap to send between processes.

A bad document never stops the batch: unreadable input, a cleaning crash or a
component error becomes a ``failed`` documents row carrying the reason; an article
surely in a language the run is not configured for becomes a ``skipped`` row. An
environment error (``run.failures``: an ImportError, a missing rule file) is nobody's
document: it propagates and stops the run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsmine.clean.article import CleanedText, clean_article
from newsmine.clean.glue import word_zipfs
from newsmine.ingest.articles import NO_TEXT, Article, read_articles
from newsmine.ingest.files import SourceFile
from newsmine.ingest.language import identifier as language_identifier
from newsmine.ingest.language import is_other_language
from newsmine.nlp.blas import limit_blas_threads
from newsmine.nlp.loading import load_pipeline
from newsmine.run import heap
from newsmine.run.failures import ENVIRONMENT_ERRORS, failure_label
from newsmine.run.minibatch import by_article, pipe_texts
from newsmine.run.work import BatchResult, FileOutcome, ProcessSettings
from newsmine.store.manifest import file_sha256
from newsmine.tables.records import Rows, article_rows, document_id, failed_rows, skipped_rows


@cache
def get_pipeline(model: str | None) -> Language:
    """The loaded pipeline for ``model``, once per process (workers reuse it across batches).

    The data that cleaning and language detection load on first use (wordfreq's list,
    the langid model: ~1 s) are loaded with it, so the first batch does not pay for them.
    The model's objects (weights, vocab, rule tables) live as long as the process, so
    they are frozen out of the cyclic garbage collector: otherwise every full collection
    walks them again (measured on 200 BBC articles: the collector's time 0.45 s -> 0.25 s
    of a 12.6 s run). The heap's mmap threshold is fixed first (``run.heap``).
    """
    heap.fix_mmap_threshold()
    nlp = load_pipeline(model)
    word_zipfs()
    language_identifier()
    limit_blas_threads(1)  # one BLAS thread per process: the workers are the parallelism
    gc.freeze()
    return nlp


def _zone(nlp: Language, permanent_vocab: int) -> AbstractContextManager:
    """No memory zone until the vocabulary holds ``permanent_vocab`` lexemes, then one per batch.

    Inside a zone every word not already in the vocabulary gets a new lexeme (a dozen
    Python attribute functions) that is dropped when the zone ends, and the tokenizer
    caches nothing, so zoned batches tokenize ~1.5x slower than bare spaCy. Words met
    before the limit stay for the life of the process: the frequent ones come first, so
    later batches find most words ready, and memory stays bounded (a lexeme and its
    strings take a few hundred bytes). ``len(vocab)`` also counts lexemes made inside
    zones, so once zoned a process stays zoned.
    """
    if len(nlp.vocab) < permanent_vocab:
        return nullcontext()
    return nlp.memory_zone()


def scoped(article: Article, settings: ProcessSettings) -> Article:
    """The article with the id its rows carry: ingest ids an article by its bytes; a run
    stores it by its path and bytes (``tables.records.document_id``), so identical files
    stay apart. ``newsmine extract`` has no raw folder to scope by and keeps the hash."""
    if not settings.stored_ids:
        return article
    return replace(article, doc_id=document_id(article.source_path, article.doc_id))


def _file_sha256(src: SourceFile) -> str:
    try:
        return file_sha256(src.path)
    except OSError:
        return ""  # vanished: ingest reports it; an empty hash makes the next run retry


def _tick(result: BatchResult, stage: str, started: float) -> float:
    now = time.perf_counter()
    result.stage_seconds[stage] = result.stage_seconds.get(stage, 0.0) + now - started
    return now


def _texts(cleaned: dict[int, CleanedText]) -> Iterator[tuple[str, tuple[int, int]]]:
    """The body and every caption of each article, tagged (article index, caption index or -1)."""
    for index, text in cleaned.items():
        yield text.text, (index, -1)
        for caption_index, caption in enumerate(text.captions):
            yield caption.text, (index, caption_index)


def _parse(
    nlp: Language, cleaned: dict[int, CleanedText], errors: dict[int, str], settings: ProcessSettings
) -> Iterator[tuple[int, dict[int, Doc]]]:
    """``(article index, its docs by part)`` of each article as soon as all its parts are
    parsed; if a base component raises, the articles not yet yielded are redone one at a time.

    Yielding per article lets the caller turn docs into rows and drop them at once: held
    for the whole batch, the docs of 64 long BBC politics articles (200 KB) lifted a
    worker's peak 16 MiB over its usual one, 8 MiB when dropped. Our own components
    report through their error handler and lose only their document; spaCy's built-in ones
    raise out of ``nlp.pipe``, so the retry isolates the culprit.
    """
    done: set[int] = set()
    try:
        pairs = pipe_texts(nlp, _texts(cleaned), settings.batch_size, settings.batch_chars)
        for index, parts in by_article(pairs):
            done.add(index)
            yield index, parts
        return
    except ENVIRONMENT_ERRORS:
        raise
    except Exception:
        pass
    for index, text in cleaned.items():
        if index in done:
            continue
        try:
            parts = {part: doc for doc, (_, part) in nlp.pipe(_texts({index: text}), as_tuples=True)}
        except ENVIRONMENT_ERRORS:
            raise
        except Exception as exc:
            errors[index] = f"spaCy failed: {type(exc).__name__}: {exc}"
            continue
        yield index, parts


def _read(
    files: Sequence[SourceFile], settings: ProcessSettings
) -> tuple[list[Article], list[int], list[str]]:
    """The articles of every file, the index of the file each came from, and each file's hash.

    Hash before reading: if the file changes mid-run, the manifest keeps the older
    hash, so the next run sees the difference and redoes the file.
    """
    hashes = [_file_sha256(src) for src in files]
    articles: list[Article] = []
    owners: list[int] = []
    for index, src in enumerate(files):
        for article in read_articles(src, settings.max_bytes, settings.text_field):
            articles.append(article)
            owners.append(index)
    return articles, owners, hashes


def _set_aside(articles: list[Article], languages: Sequence[str]) -> dict[int, str]:
    """Articles surely in a language the run is not configured for: index -> ``language xx``."""
    return {
        index: f"language {a.language}"
        for index, a in enumerate(articles)
        if a.error is None and is_other_language(a.language, a.language_score, a.body_end, languages)
    }


def _too_long(n_chars: int, limit: int) -> str | None:
    if n_chars <= limit:
        return None
    return f"article text is {n_chars} characters, over the {limit}-character limit (spaCy's max_length)"


def _clean(
    articles: list[Article], skips: dict[int, str], errors: dict[int, str], max_chars: int
) -> dict[int, CleanedText]:
    """The cleaned text of every readable article (a cleaning crash costs one article).

    Texts over the parser's limit fail before cleaning, so a huge file costs no time.
    """
    cleaned: dict[int, CleanedText] = {}
    for index, article in enumerate(articles):
        if article.error is not None or index in skips:
            continue
        if too_long := _too_long(article.body_end, max_chars):
            errors[index] = too_long
            continue
        try:
            text = clean_article(article.raw_text, article.body_end)
        except ENVIRONMENT_ERRORS:
            raise
        except Exception as exc:  # a cleaning bug must cost one document, not the run
            errors[index] = f"cleaning failed: {type(exc).__name__}: {exc}"
            continue
        has_words = any(ch.isalnum() for ch in text.text)  # not only rules ("* * *") or blanks
        problem = _too_long(len(text.text), max_chars) if has_words else NO_TEXT
        if problem:
            errors[index] = problem
        else:
            cleaned[index] = text
    return cleaned


def report_component_errors(nlp: Language, errors: dict[int, str]) -> None:
    """Route every newsmine component's failure on a doc into ``errors`` under its own name.

    Each of our components gets the handler through its own ``set_error_handler`` (the
    pipe's handler is what spaCy calls for a component that raises on one doc), so the
    doc is reported as that component's failure and the rest of the batch goes on.
    ``nlp.set_error_handler()`` would also reach spaCy 3.8.3's Cython parser, which has
    no ``error_handler`` attribute; the default handler covers any other Python pipe.
    """

    def on_error(name: str, proc: Any, docs: list, exc: Exception) -> None:
        if isinstance(exc, ENVIRONMENT_ERRORS):
            raise exc
        for doc in docs:
            context = getattr(doc, "_context", None)
            if context is not None:
                errors[context[0]] = f"component {name} failed: {type(exc).__name__}: {exc}"

    nlp.default_error_handler = on_error
    for _, proc in nlp.pipeline:
        if type(proc).__module__.startswith("newsmine.") and hasattr(proc, "set_error_handler"):
            proc.set_error_handler(on_error)


def _parsed_rows(
    article: Article, cleaned: CleanedText, parts: dict[int, Doc], errors: dict[int, str],
    settings: ProcessSettings, processed_at: datetime, index: int,
) -> tuple[Rows, int] | None:
    """An article's rows and word count from its docs (None: no body doc, or a component failed)."""
    if index in errors or -1 not in parts:
        return None
    captions = [parts[i] for i in range(len(cleaned.captions)) if i in parts]
    try:
        rows = article_rows(article, cleaned, parts[-1], captions, settings.version, processed_at)
    except ENVIRONMENT_ERRORS:
        raise
    except Exception as exc:
        errors[index] = f"building rows failed: {type(exc).__name__}: {exc}"
        return None
    return rows, rows["documents"][0]["n_words"]


def _rows(
    articles: list[Article], parsed: dict[int, Rows], errors: dict[int, str], settings: ProcessSettings,
    processed_at: datetime, result: BatchResult, skips: dict[int, str],
) -> None:
    """Every table's rows of each article into ``result``, in order: its extractions
    (``parsed``), or one failed or skipped row."""
    for index, read in enumerate(articles):
        if index in parsed:  # built from the scoped article as its docs came out of spaCy
            rows = parsed[index]
        elif index in skips:
            rows = skipped_rows(scoped(read, settings), settings.version, processed_at, skips[index])
        else:
            reason = errors.setdefault(index, read.error or "no output from the pipeline")
            rows = failed_rows(scoped(read, settings), settings.version, processed_at, reason)
        rows["documents"][0]["content_sha256"] = read.doc_id
        result.add_rows(rows)


def _tally(reasons: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items()))


def _outcome(
    src: SourceFile, sha256: str, articles: list[Article], mine: list[int], errors: dict[int, str],
    skips: dict[int, str],
) -> FileOutcome:
    """What the manifest records about one file: its hash, doc ids, failures and skips.

    ``retry`` is set when a failure is not a property of the file's bytes (a component
    error, a read error), so the next run redoes the file without ``--force``.
    """
    failed = [i for i in mine if articles[i].error is not None or i in errors]
    reasons = [errors.get(i) or articles[i].error or "" for i in failed]
    labels = [failure_label(reason) for reason in reasons]
    return FileOutcome(
        rel_path=src.rel_path,
        drop=src.drop,
        size=src.size,
        mtime_ns=src.mtime_ns,
        sha256=sha256,
        doc_ids=[articles[i].doc_id for i in mine],
        n_failed=len(failed),
        errors=[f"{articles[i].source_path}: {r}" for i, r in zip(failed, reasons, strict=True)],
        failures=_tally([label for label, _ in labels]),
        skipped=_tally([skips[i] for i in mine if i in skips]),
        retry=any(not permanent for _, permanent in labels),
    )


def _outcomes(
    files: Sequence[SourceFile], articles: list[Article], owners: list[int], hashes: list[str],
    errors: dict[int, str], skips: dict[int, str],
) -> list[FileOutcome]:
    """The manifest's view of each file of the batch."""
    by_file: dict[int, list[int]] = {}
    for article_index, owner in enumerate(owners):
        by_file.setdefault(owner, []).append(article_index)
    return [
        _outcome(src, hashes[index], articles, by_file.get(index, []), errors, skips)
        for index, src in enumerate(files)
    ]


def _process(
    articles: list[Article], settings: ProcessSettings, processed_at: datetime, result: BatchResult,
    started: float,
) -> tuple[dict[int, str], dict[int, str]]:
    """Set aside, clean, parse and build rows for read articles into ``result``;
    the errors and the skips (another language) by index."""
    skips = _set_aside(articles, settings.languages)
    errors: dict[int, str] = {}
    cleaned = _clean(articles, skips, errors, settings.max_chars)
    started = _tick(result, "clean", started)
    nlp = get_pipeline(settings.model)
    report_component_errors(nlp, errors)
    parsed: dict[int, Rows] = {}
    building = 0.0  # seconds of row building, done between minibatches but reported as "records"
    with _zone(nlp, settings.permanent_vocab):
        for index, parts in _parse(nlp, cleaned, errors, settings):
            began = time.perf_counter()
            built = _parsed_rows(scoped(articles[index], settings), cleaned[index], parts, errors,
                                 settings, processed_at, index)
            del parts  # the docs go now, not at the end of the batch
            if built is not None:
                parsed[index], words = built
                result.n_words += words
            building += time.perf_counter() - began
    started = _tick(result, "nlp", started)
    result.stage_seconds["nlp"] -= building
    result.stage_seconds["records"] = result.stage_seconds.get("records", 0.0) + building
    _rows(articles, parsed, errors, settings, processed_at, result, skips)
    heap.trim()
    _tick(result, "records", started)
    return errors, skips


def process_articles(articles: Sequence[Article], settings: ProcessSettings) -> BatchResult:
    """Rows for articles that never were files (``newsmine.extract``), the same way as files."""
    result = BatchResult()
    _process(list(articles), settings, datetime.now(UTC), result, time.perf_counter())
    return result


def process_files(files: Sequence[SourceFile], settings: ProcessSettings) -> BatchResult:
    """Process ``files`` into rows for every partitioned table: read, clean, parse, rows."""
    result = BatchResult()
    processed_at = datetime.now(UTC)
    started = time.perf_counter()
    articles, owners, hashes = _read(files, settings)
    started = _tick(result, "ingest", started)
    errors, skips = _process(articles, settings, processed_at, result, started)
    articles = [scoped(article, settings) for article in articles]  # the ids the rows carry
    result.files.extend(_outcomes(files, articles, owners, hashes, errors, skips))
    return result
