"""When triggers fire: cron in a time zone, Azure recurrences, start and end times."""

from datetime import datetime, timedelta, timezone

import pytest

from modelyard.services._schedule_times import next_fire, ticks_between, upcoming
from modelyard.spec.schedule import CronTrigger, RecurrenceTrigger

UTC = timezone.utc
NOW = datetime(2026, 3, 27, 12, 0, 30, tzinfo=UTC)  # the Friday before Europe's clocks go forward


def recurrence(**fields) -> RecurrenceTrigger:
    return RecurrenceTrigger.model_validate({"type": "recurrence", **fields})


def test_cron_keeps_local_wall_time_across_daylight_saving():
    trigger = CronTrigger(expression="0 3 * * *", time_zone="Europe/Paris")
    assert upcoming(trigger, NOW, NOW, 3) == [datetime(2026, 3, 28, 2, tzinfo=UTC),  # 03:00 CET
                                              datetime(2026, 3, 29, 1, tzinfo=UTC),  # 03:00 CEST
                                              datetime(2026, 3, 30, 1, tzinfo=UTC)]


def test_azure_windows_zone_names_are_understood():
    trigger = CronTrigger(expression="0 * * * *", time_zone="Pacific Standard Time")
    assert next_fire(trigger, NOW, NOW) == datetime(2026, 3, 27, 13, tzinfo=UTC)
    assert CronTrigger.model_validate({"type": "cron", "expression": "0 * * * *", "timezone": "UTC"}).time_zone == "UTC"


def test_daily_recurrence_with_hours_and_minutes_as_in_azures_example():
    trigger = recurrence(frequency="day", interval=1, schedule={"hours": [4, 5, 10], "minutes": [0, 30]},
                         start_time="2022-07-10T10:00:00", time_zone="Pacific Standard Time")
    # 05:00 PDT is 12:00 UTC, already past by 30 s: next come 05:30, 10:00, 10:30, then 04:00 the next day
    assert upcoming(trigger, NOW, NOW, 4) == [datetime(2026, 3, 27, 12, 30, tzinfo=UTC),
                                              datetime(2026, 3, 27, 17, tzinfo=UTC),
                                              datetime(2026, 3, 27, 17, 30, tzinfo=UTC),
                                              datetime(2026, 3, 28, 11, tzinfo=UTC)]


def test_every_other_week_on_week_days_counts_weeks_from_start_time():
    trigger = recurrence(frequency="week", interval=2, schedule={"hours": 10, "minutes": 15,
                                                                 "week_days": ["Monday", "thursday"]},
                         start_time="2026-03-16T00:00:00")  # a Monday: weeks of Mar 16, Mar 30, ... fire
    assert upcoming(trigger, NOW, NOW, 3) == [datetime(2026, 3, 30, 10, 15, tzinfo=UTC),
                                              datetime(2026, 4, 2, 10, 15, tzinfo=UTC),
                                              datetime(2026, 4, 13, 10, 15, tzinfo=UTC)]


def test_monthly_on_month_days_and_minutes_from_creation_without_a_pattern():
    monthly = recurrence(frequency="month", interval=1, schedule={"month_days": [1, 15], "hours": [2]})
    assert upcoming(monthly, NOW, NOW, 2) == [datetime(2026, 4, 1, 2, tzinfo=UTC), datetime(2026, 4, 15, 2, tzinfo=UTC)]
    every_five = recurrence(frequency="minute", interval=5)
    assert upcoming(every_five, NOW, NOW, 2) == [NOW + timedelta(minutes=5), NOW + timedelta(minutes=10)]


def test_start_time_in_the_future_is_the_first_fire_and_end_time_ends_it():
    trigger = recurrence(frequency="hour", interval=6, start_time="2026-04-01T00:00:00",
                         end_time="2026-04-01T12:00:00")
    assert upcoming(trigger, NOW, NOW, 5) == [datetime(2026, 4, 1, h, tzinfo=UTC) for h in (0, 6, 12)]
    cron = CronTrigger(expression="*/10 * * * *", start_time="2026-03-27T13:00:00")
    assert next_fire(cron, NOW, NOW) == datetime(2026, 3, 27, 13, tzinfo=UTC)


def test_ticks_between_counts_what_a_downtime_missed():
    hourly = CronTrigger(expression="0 * * * *")
    first = datetime(2026, 3, 27, 13, tzinfo=UTC)
    assert ticks_between(hourly, first, first + timedelta(hours=4, minutes=30), NOW) == 5


@pytest.mark.parametrize(("trigger", "field", "example"), [
    ({"type": "cron", "expression": "61 * * * *"}, "trigger.cron.expression", "'0 3 * * *'"),
    ({"type": "cron", "expression": "0 3 * *"}, "trigger.cron.expression", "'0 3 * * *'"),
    ({"type": "cron", "expression": "0 3 * * *", "time_zone": "Mars/Olympus"}, "trigger.cron.time_zone",
     "'Europe/Paris'"),
    ({"type": "recurrence", "frequency": "fortnight", "interval": 1}, "trigger.recurrence.frequency",
     "frequency: day"),
    ({"type": "recurrence", "frequency": "hour", "interval": 1, "schedule": {"hours": [3]}},
     "trigger.recurrence.schedule", "frequency: day"),
])
def test_bad_triggers_name_the_field_and_give_an_example(trigger, field, example):
    from modelyard.errors import InvalidInput
    from modelyard.spec._common import validate_spec
    from modelyard.spec.schedule import ScheduleCreate

    with pytest.raises(InvalidInput) as error:
        validate_spec(ScheduleCreate, {"name": "nightly", "trigger": trigger, "create_job": "azureml:x"}, "schedule")
    assert field in error.value.message and example in error.value.message
