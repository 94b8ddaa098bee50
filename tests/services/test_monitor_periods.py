"""A backfill's periods: whole days, weeks or calendar months from its start, the last one cut at its end."""

from datetime import datetime, timezone

import pytest

from modelyard.errors import InvalidInput
from modelyard.services.monitors import MAX_PERIODS, periods_between


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def test_days_and_weeks_with_the_last_period_cut_at_the_end():
    assert periods_between(at("2026-01-01"), at("2026-01-03T12:00"), "day") == [
        (at("2026-01-01"), at("2026-01-02")), (at("2026-01-02"), at("2026-01-03")),
        (at("2026-01-03"), at("2026-01-03T12:00"))]
    assert periods_between(at("2026-01-01"), at("2026-01-15"), "week") == [
        (at("2026-01-01"), at("2026-01-08")), (at("2026-01-08"), at("2026-01-15"))]


def test_months_from_the_31st_keep_to_month_ends_and_cross_the_year():
    ends = [end for _, end in periods_between(at("2025-12-31"), at("2026-04-30"), "month")]
    assert ends == [at("2026-01-31"), at("2026-02-28"), at("2026-03-31"), at("2026-04-30")]


def test_too_many_periods_are_refused_with_the_fix():
    with pytest.raises(InvalidInput, match=f"more than {MAX_PERIODS} periods of a day; use a shorter range"):
        periods_between(at("2020-01-01"), at("2026-01-01"), "day")
