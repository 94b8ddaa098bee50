"""The schedule service in-process, with a clock the test moves: claims, missed periods, bad jobs."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput
from modelyard.services import workspace as workspaces
from modelyard.services._context import ServiceContext
from modelyard.services.jobs import JobService
from modelyard.services.schedules import ScheduleService
from modelyard.spec.schedule import SCHEDULE_TAG

START = datetime(2026, 12, 3, 11, 0, 30, tzinfo=timezone.utc)
EVERY_FIVE = {"type": "cron", "expression": "*/5 * * * *"}
ECHO = {"type": "command", "command": "echo hello"}


class Clock:
    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def context(tmp_path: Path):
    context = ServiceContext.open(workspaces.create(tmp_path / "ws", name="schedules"))
    yield context
    context.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_context(request, tmp_path: Path):
    """A workspace on SQLite, or on PostgreSQL as a team server's processes share one."""
    database = request.getfixturevalue("fresh_postgres_url") if request.param == "postgres" else None
    context = ServiceContext.open(workspaces.create(tmp_path / "ws", name="schedules", database=database))
    yield context
    context.close()


def test_runners_sharing_the_store_fire_a_missed_period_once(shared_context):
    context = shared_context
    import threading

    clock = Clock()
    first = ScheduleService(context, now=clock)
    created = first.create({"name": "every-five", "trigger": EVERY_FIVE, "create_job": ECHO})
    assert created.next_fire_times[:2] == [START.replace(minute=5, second=0), START.replace(minute=10, second=0)]

    clock.moment = START + timedelta(minutes=22)  # ticks 11:05, 11:10, 11:15 and 11:20 passed
    others = [ServiceContext.open(context.location) for _ in range(3)]  # as other server processes would
    runners = [first] + [ScheduleService(other, now=clock) for other in others]
    ready, soonest = threading.Barrier(len(runners)), []

    def run(runner: ScheduleService) -> None:
        ready.wait(timeout=30)
        soonest.append(runner.fire_due())

    threads = [threading.Thread(target=run, args=(runner,)) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for other in others:
        other.close()
    assert soonest == [START.replace(minute=25, second=0)] * len(runners)
    fires = first.get("every-five").last_fires
    assert len(fires) == 1 and fires[0].missed == 3 and fires[0].scheduled_for == START.replace(minute=5, second=0)
    job = JobService(context).get(fires[0].job)
    assert job.tags[SCHEDULE_TAG] == "every-five" and job.properties[SCHEDULE_TAG] == "every-five"
    assert job.experiment_name == "every-five" and job.status == "Queued"


def test_disabled_schedules_do_not_fire_and_enabling_skips_the_time_off(context):
    clock = Clock()
    schedules = ScheduleService(context, now=clock)
    schedules.create({"name": "paused", "trigger": EVERY_FIVE, "create_job": ECHO})
    assert schedules.set_enabled("paused", False).next_fire_times == []
    clock.moment = START + timedelta(hours=1)
    assert schedules.fire_due() is None and schedules.get("paused").last_fires == []
    enabled = schedules.set_enabled("paused", True)
    assert enabled.next_fire_times[0] == START.replace(hour=12, minute=5, second=0)
    assert schedules.fire_due() == enabled.next_fire_times[0] and schedules.get("paused").last_fires == []


def test_a_job_that_no_longer_validates_is_recorded_and_disables_only_when_configured(context):
    from modelyard.services.compute import ComputeService
    from modelyard.spec.compute import ClusterComputeCreate

    clock = Clock()
    schedules = ScheduleService(context, now=clock)
    ComputeService(context).create(ClusterComputeCreate(name="gone", max_instances=1))
    job = {**ECHO, "compute": "gone"}
    schedules.create({"name": "keeps", "trigger": EVERY_FIVE, "create_job": job})
    schedules.create({"name": "stops", "trigger": EVERY_FIVE, "create_job": job, "on_job_error": "disable"})
    ComputeService(context).delete("gone")

    clock.moment = START + timedelta(minutes=5)
    schedules.fire_due()
    keeps, stops = schedules.get("keeps"), schedules.get("stops")
    assert "compute 'gone' does not exist" in keeps.last_fires[0].error and keeps.last_fires[0].job is None
    assert keeps.enabled and keeps.next_fire_times[0] == START.replace(minute=10, second=0)
    assert not stops.enabled and stops.next_fire_times == []
    assert "compute 'gone' does not exist" in stops.disabled_reason
    assert JobService(context).count() == 0


def test_a_job_rerun_with_new_inputs_keeps_the_rest_of_the_job(context):
    schedules = ScheduleService(context, now=Clock())
    original = JobService(context).create({"type": "command", "command": "echo ${{inputs.greeting}}",
                                           "inputs": {"greeting": "hello"}, "experiment_name": "greetings"})
    schedules.create({"name": "rerun", "trigger": EVERY_FIVE,
                      "create_job": {"type": "command", "job": f"azureml:{original.name}",
                                     "inputs": {"greeting": "bye"}}})
    fire = schedules.trigger("rerun")
    rerun = JobService(context).get(fire.job)
    assert fire.manual and fire.error is None
    assert rerun.spec.command == "echo ${{inputs.greeting}}" and rerun.spec.inputs == {"greeting": "bye"}
    assert rerun.experiment_name == "greetings" and rerun.name != original.name


@pytest.mark.parametrize(("create_job", "message"), [
    ("azureml:no-such-job", "job 'no-such-job' not found"),
    ("./train.yml", "names a local file"),
    ({"type": "command", "command": "echo", "compute": "nowhere"}, "compute 'nowhere' does not exist"),
    ({"type": "command"}, "create_job is invalid: command.command"),
])
def test_a_job_that_cannot_be_submitted_is_refused_and_nothing_is_stored(context, create_job, message):
    schedules = ScheduleService(context, now=Clock())
    with pytest.raises(InvalidInput, match=message):
        schedules.create({"name": "refused", "trigger": EVERY_FIVE, "create_job": create_job})
    assert schedules.list() == []


def test_a_sleeping_runner_wakes_for_a_new_schedule_and_sleeps_until_its_tick(context, monkeypatch):
    import time

    from modelyard.runtime import _schedules
    from modelyard.runtime._schedules import ScheduleRunner

    # were the runner to poll, nothing would fire within the hour it may sleep
    monkeypatch.setattr(_schedules, "MAX_SLEEP_SECONDS", 3600.0)
    tick, began = START.replace(minute=1, second=0), time.monotonic()

    def clock() -> datetime:  # two seconds before a tick, running at real speed
        return tick - timedelta(seconds=2) + timedelta(seconds=time.monotonic() - began)

    runner = ScheduleRunner(context, now=clock)
    runner.start()
    try:
        time.sleep(0.5)  # its first step found no schedule: it sleeps
        schedules = ScheduleService(context, now=clock)
        schedules.create({"name": "soon", "trigger": {"type": "cron", "expression": "* * * * *"}, "create_job": ECHO})
        deadline = time.monotonic() + 60
        while not schedules.get("soon").last_fires and time.monotonic() < deadline:
            time.sleep(0.2)
        fires = schedules.get("soon").last_fires
        assert len(fires) == 1 and fires[0].scheduled_for == tick and fires[0].job
    finally:
        runner.stop()


def test_a_pipeline_fires_inline_and_reruns_with_new_inputs_and_settings(context):
    pipeline = {"type": "pipeline", "inputs": {"n": 3}, "jobs": {
        "make": {"command": "echo ${{inputs.n}} > ${{outputs.out}}/n", "inputs": {"n": "${{parent.inputs.n}}"},
                 "outputs": {"out": None}},
        "show": {"command": "cat ${{inputs.made}}/n", "inputs": {"made": "${{parent.jobs.make.outputs.out}}"}}}}
    schedules, jobs = ScheduleService(context, now=Clock()), JobService(context)
    schedules.create({"name": "inline-pipeline", "trigger": EVERY_FIVE, "create_job": pipeline})
    inline = jobs.get(schedules.trigger("inline-pipeline").job)
    assert inline.type == "pipeline" and [c.step for c in jobs.children(inline.name)] == ["make", "show"]

    schedules.create({"name": "pipeline-rerun", "trigger": EVERY_FIVE, "create_job": {
        "type": "pipeline", "job": f"azureml:{inline.name}", "inputs": {"n": 7},
        "settings": {"continue_on_step_failure": True}}})
    rerun = jobs.get(schedules.trigger("pipeline-rerun").job)
    assert rerun.spec.inputs == {"n": 7} and rerun.spec.settings.continue_on_step_failure
    assert rerun.tags[SCHEDULE_TAG] == "pipeline-rerun" and len(jobs.children(rerun.name)) == 2
