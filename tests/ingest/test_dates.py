"""Publication dates as scrapers write them become UTC timestamps, and the traps stay shut."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsmine.ingest.dates import parse_published


@pytest.mark.parametrize(
    ("raw", "utc"),
    [
        ("2016-10-05T14:03:00Z", datetime(2016, 10, 5, 14, 3)),
        ("2016-10-05T10:03:00-04:00", datetime(2016, 10, 5, 14, 3)),
        ("2016-10-05 14:03:00", datetime(2016, 10, 5, 14, 3)),  # no zone: taken as UTC
        ("Wed, 05 Oct 2016 14:03:00 +0000", datetime(2016, 10, 5, 14, 3)),
        ("Oct 5, 2016 2:03 PM EDT", datetime(2016, 10, 5, 18, 3)),
        ("Published: Oct 5, 2016 2:03 PM EDT", datetime(2016, 10, 5, 18, 3)),
        ("October 5, 2016 10:03 a.m. ET", datetime(2016, 10, 5, 14, 3)),  # ET is daylight time in October
        ("Tue, 8 Nov 2016 21:00:00 EST", datetime(2016, 11, 9, 2, 0)),
        ("January 10, 2017 9:00 AM ET", datetime(2017, 1, 10, 14, 0)),  # ET is standard time in January
        ("Wed Oct 5 14:03:00 BST 2016", datetime(2016, 10, 5, 13, 3)),
        ("5 October 2016", datetime(2016, 10, 5)),
        ("02.06.2025", datetime(2025, 6, 2)),  # dotted dates are day first
        ("2016-10-05", datetime(2016, 10, 5)),  # ISO is never read day first
        (1475676180, datetime(2016, 10, 5, 14, 3)),  # epoch seconds
        (1475676180000, datetime(2016, 10, 5, 14, 3)),  # epoch milliseconds
    ],
)
def test_dates_become_utc(raw: str | int, utc: datetime) -> None:
    assert parse_published(raw) == utc.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    ["Updated 2 hours ago", "Oct 5", "Oct 5, 2016 2:03 PM XYZT", "5 Oct 2016 09:00 IST", "", "   ",
     "no date here", None, True],
)
def test_unknown_dates_are_none_not_today_or_silently_naive(raw: object) -> None:
    assert parse_published(raw) is None  # type: ignore[arg-type]


def test_day_first_only_when_asked() -> None:
    assert parse_published("05/10/2016") == datetime(2016, 5, 10, tzinfo=UTC)
    assert parse_published("05/10/2016", dayfirst=True) == datetime(2016, 10, 5, tzinfo=UTC)
    assert parse_published("2016-10-05", dayfirst=True) == datetime(2016, 10, 5, tzinfo=UTC)
