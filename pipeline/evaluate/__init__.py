"""Evaluation: takes a user's gold annotations (JSONL) and a run's tables, gives
precision, recall and F1 per item type and the list of misses (``newsmine eval``).

``gold`` reads and checks the format line by line; ``matching`` says when two items are
the same (words, not offsets); ``quotes`` and ``claims`` count one article's items;
``report`` turns the counts into metrics; ``scoring.evaluate`` wires them together.
"""

from newsmine.evaluate.gold import GoldFormatError, read_gold
from newsmine.evaluate.report import Report
from newsmine.evaluate.scoring import evaluate

__all__ = ["GoldFormatError", "Report", "evaluate", "read_gold"]
