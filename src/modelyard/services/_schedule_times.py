"""When a trigger fires: the first tick after a moment, for cron expressions and Azure's recurrences.

Every moment handed in and out is an aware UTC datetime; ticks are worked out in the trigger's time
zone, so "03:00 every day" stays 03:00 local across daylight-saving changes.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Callable, Iterator

from modelyard.spec.schedule import WEEK_DAYS, CronTrigger, RecurrenceTrigger, time_zone

SEARCH_DAYS = 4 * 366  # a pattern with no tick in four years (e.g. month_days [31] every 12 months from April) has none
TEST_CLOCK = "MODELYARD_TEST_CLOCK"  # an ISO moment: the clock starts there and runs at real speed (tests only)


@cache
def clock() -> Callable[[], datetime]:
    """The time schedules run by, one per process: the wall clock, or the test clock ``MODELYARD_TEST_CLOCK`` sets."""
    start = os.environ.get(TEST_CLOCK)
    if not start:
        return lambda: datetime.now(timezone.utc)
    import time as _time

    origin, began = _aware(datetime.fromisoformat(start), timezone.utc), _time.monotonic()
    return lambda: origin + timedelta(seconds=_time.monotonic() - began)


def next_fire(trigger: CronTrigger | RecurrenceTrigger, after: datetime, anchor: datetime) -> datetime | None:
    """The first tick strictly after ``after`` (and not before start_time), or None past end_time.

    ``anchor`` (when the schedule was made) stands for start_time when the trigger has none.
    """
    zone = time_zone(trigger.time_zone)
    start = _aware(trigger.start_time, zone) if trigger.start_time else anchor
    floor = max(after, start - timedelta(microseconds=1))
    tick = _cron_next(trigger, floor, zone) if isinstance(trigger, CronTrigger) \
        else _recurrence_next(trigger, floor, start.astimezone(zone))
    if tick is None or (trigger.end_time and tick > _aware(trigger.end_time, zone)):
        return None
    return tick.astimezone(timezone.utc)


def upcoming(trigger, after: datetime, anchor: datetime, count: int) -> list[datetime]:
    ticks: list[datetime] = []
    while len(ticks) < count:
        tick = next_fire(trigger, ticks[-1] if ticks else after, anchor)
        if tick is None:
            break
        ticks.append(tick)
    return ticks


def ticks_between(trigger, due: datetime, now: datetime, anchor: datetime, limit: int = 1000) -> int:
    """How many ticks from ``due`` up to ``now`` (both included), counting at most ``limit``."""
    count, tick = 0, due
    while tick is not None and tick <= now and count < limit:
        count += 1
        tick = next_fire(trigger, tick, anchor)
    return count


def _aware(moment: datetime, zone) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _cron_next(trigger: CronTrigger, after: datetime, zone) -> datetime:
    from croniter import croniter

    return croniter(trigger.expression, after.astimezone(zone)).get_next(datetime)


def _recurrence_next(trigger: RecurrenceTrigger, after: datetime, start: datetime) -> datetime | None:
    if trigger.frequency in ("minute", "hour"):  # a fixed period from start_time, in absolute time
        period = timedelta(minutes=trigger.interval) * (60 if trigger.frequency == "hour" else 1)
        if after < start:
            return start
        return start + period * ((after - start) // period + 1)
    for candidate in _candidates(trigger, after.astimezone(start.tzinfo).date(), start):
        if candidate > after:
            return candidate
    return None


def _candidates(trigger: RecurrenceTrigger, first: date, start: datetime) -> Iterator[datetime]:
    """Every tick on the days of the pattern, in order, from day ``first`` on."""
    pattern = trigger.schedule
    hours = (pattern.hours if pattern else None) or [start.hour]
    minutes = (pattern.minutes if pattern else None) or ([0] if pattern and pattern.hours else [start.minute])
    seconds = 0 if pattern else start.second
    times = sorted(time(h, m, seconds) for h in hours for m in minutes)
    day = max(first, start.date())
    for _ in range(SEARCH_DAYS * trigger.interval):
        if _fires_on(trigger, day, start):
            for moment in times:
                yield datetime.combine(day, moment, tzinfo=start.tzinfo)
        day += timedelta(days=1)


def _fires_on(trigger: RecurrenceTrigger, day: date, start: datetime) -> bool:
    pattern, first = trigger.schedule, start.date()
    if trigger.frequency == "day":
        return (day - first).days % trigger.interval == 0
    if trigger.frequency == "week":
        week_days = (pattern.week_days if pattern else None) or [WEEK_DAYS[first.weekday()]]
        weeks = ((day - timedelta(days=day.weekday())) - (first - timedelta(days=first.weekday()))).days // 7
        return weeks % trigger.interval == 0 and WEEK_DAYS[day.weekday()] in week_days
    months = (day.year - first.year) * 12 + day.month - first.month
    month_days = (pattern.month_days if pattern else None) or [first.day]
    return months % trigger.interval == 0 and day.day in month_days
