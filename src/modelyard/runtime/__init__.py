"""The job runtime: workers, the scheduler, pipelines and remote (Ray) execution."""

from __future__ import annotations


def start_engines(context):
    """Start the scheduler (and the engines that hook into it) for a workspace server."""
    from modelyard.runtime._scheduler import Scheduler

    scheduler = Scheduler(context)
    from modelyard.runtime._pipelines import PipelineDriver
    from modelyard.runtime._ray import RayDriver

    scheduler.add_hook(PipelineDriver(context).step)
    scheduler.add_hook(RayDriver(context).step)
    scheduler.start()
    return scheduler


__all__ = ["start_engines"]
