"""A scraper's free-form publication date to an aware UTC timestamp, or ``None``.

python-dateutil does the parsing (ISO 8601, RFC 2822, "Oct 5, 2016 2:03 PM EDT",
"5 October 2016"); this module only fixes its traps, each measured on real scraper
strings:

* ISO strings go through ``isoparse`` first: ``parse(dayfirst=True)`` would read
  ``2016-10-05`` as 10 May.
* Zone abbreviations dateutil does not know (EDT, ET, BST …) come from a table; an
  abbreviation missing from it gives ``None`` rather than a time silently taken as UTC.
  US zone names without a D/S letter (ET, PT …) are real zones, so daylight saving
  is right on either side of the switch.
* A string without a year ("Updated 2 hours ago", "Oct 5") gives ``None``: fuzzy
  parsing would otherwise fill in today's date.
* Dotted numeric dates (``02.06.2025``) are day first, as everywhere they are written.
* A time without a zone is taken as UTC (the documented policy); numbers are Unix
  epoch seconds, or milliseconds when too large for seconds.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime

from dateutil import parser as _parser
from dateutil import tz as _tz

_HOUR = 3600
TZINFOS = {
    "EDT": -4 * _HOUR, "EST": -5 * _HOUR, "CDT": -5 * _HOUR, "CST": -6 * _HOUR,
    "MDT": -6 * _HOUR, "MST": -7 * _HOUR, "PDT": -7 * _HOUR, "PST": -8 * _HOUR,
    "AKDT": -8 * _HOUR, "AKST": -9 * _HOUR, "HST": -10 * _HOUR,
    "BST": _HOUR, "IST": None, "CET": _HOUR, "CEST": 2 * _HOUR, "EET": 2 * _HOUR, "EEST": 3 * _HOUR,
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0,
    "ET": _tz.gettz("America/New_York"), "CT": _tz.gettz("America/Chicago"),
    "MT": _tz.gettz("America/Denver"), "PT": _tz.gettz("America/Los_Angeles"),
    "AEST": 10 * _HOUR, "AEDT": 11 * _HOUR,
}
_AMBIGUOUS = {name for name, zone in TZINFOS.items() if zone is None}  # IST: India, Ireland or Israel
_NO_YEAR = datetime(1, 1, 1)
_DOTTED = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_MS_EPOCH = 100_000_000_000  # larger than any epoch in seconds before the year 5138


def _tzinfos(name: str | None, offset: int | None) -> object:
    if name is None:  # no zone name in the string (dateutil asks anyway)
        return None
    if name in _AMBIGUOUS or name not in TZINFOS:
        raise ValueError(f"unknown or ambiguous zone {name}")
    return TZINFOS[name]


def _parse_text(text: str, dayfirst: bool) -> datetime | None:
    try:
        return _parser.isoparse(text)
    except (ValueError, OverflowError):
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", _parser.UnknownTimezoneWarning)
            parsed = _parser.parse(text, tzinfos=_tzinfos, dayfirst=dayfirst, fuzzy=True, default=_NO_YEAR)
    except (ValueError, OverflowError, TypeError, _parser.UnknownTimezoneWarning):
        return None
    return None if parsed.year == _NO_YEAR.year else parsed


def parse_published(value: str | int | float | None, *, dayfirst: bool = False) -> datetime | None:
    """The UTC time of a publication date as scrapers write it; ``None`` when unknown."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) >= _MS_EPOCH else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text or len(text) > 200:
        return None
    parsed = _parse_text(text, dayfirst or bool(_DOTTED.match(text)))
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
