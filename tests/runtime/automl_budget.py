"""The time budget an AutoML job keeps: from submission to the best model logged and explained."""

SLACK_SHARE, SLACK_SECONDS = 0.1, 5


def assert_within_budget(job, minutes: float) -> None:
    limit = minutes * 60 * (1 + SLACK_SHARE) + SLACK_SECONDS
    timings = job.properties["timings"]
    assert timings["budgeted_seconds"] < limit, f"the best model came past the time budget: {timings}"
    assert job.duration_seconds < limit, f"the job ran past its time budget: {timings}"
