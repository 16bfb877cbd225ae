"""What every newsmine component shares, modelled on spaCy's own ``SpanRuler``.

* Settings are keyword-only factory arguments (``default_config``, overridden by
  ``models/pipeline.toml``); the rule-data settings name files under ``models/``.
* Rule data is read when the component is initialised (``load_pipeline`` does it, or the
  first document), never in ``__init__``: ``spacy.load`` builds the component from its
  config and then restores the rule data with ``from_disk``, so a saved pipeline needs
  no ``models/`` folder at all.
* ``to_disk``/``to_bytes`` write the texts of exactly the files the component read, and
  ``from_disk``/``from_bytes`` read them back through the same loader, so the loaded
  component has the same rules to the character.
* Failures go through the pipe's error handler (``Pipe.pipe``): one bad document is
  reported under the component's own name, the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

from newsmine.rules import RuleSource


class RuleComponent(Pipe):
    """A component whose rules come from files under ``models/`` (see module doc)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self._rule_texts: dict[str, str] | None = None

    # -- subclasses ----------------------------------------------------------------------
    def load_rules(self, source: RuleSource) -> None:
        """Read and compile the rule data from ``source`` (sets the rule attributes)."""
        raise NotImplementedError

    def process(self, doc: Doc) -> Doc:
        """The component's work on one document."""
        raise NotImplementedError

    # -- spaCy's component protocol ------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self._rule_texts is None:
            self.initialize()
        return self.process(doc)

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Load the rule data from ``models/`` (``NEWSMINE_MODELS`` or the packaged copy)."""
        self._use(RuleSource.models())

    def _use(self, source: RuleSource) -> None:
        self.load_rules(source)
        self._rule_texts = dict(source.read)

    @property
    def rule_texts(self) -> dict[str, str]:
        """Every rule file this component read, by its path under ``models/``."""
        if self._rule_texts is None:
            self.initialize()
        return dict(self._rule_texts or {})

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rule files this component read under ``path`` (same relative paths)."""
        path = Path(path)
        for rel, text in sorted(self.rule_texts.items()):
            target = path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RuleComponent:
        """Load the rules from files written by ``to_disk``."""
        self._use(RuleSource(root=Path(path)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The rule files this component read, as msgpack (``from_bytes`` reads it back)."""
        return srsly.msgpack_dumps(self.rule_texts)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> RuleComponent:
        """Load the rules from ``to_bytes`` output."""
        self._use(RuleSource(texts=srsly.msgpack_loads(bytes_data)))
        return self
