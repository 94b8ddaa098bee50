"""The job runtime: workers, the scheduler, pipelines, remote (Ray) execution and endpoint supervision."""

from __future__ import annotations


class Engines:
    """The long-lived parts of a workspace server, started and stopped together."""

    def __init__(self, context) -> None:
        from modelyard.runtime._pipelines import PipelineDriver
        from modelyard.runtime._ray import RayDriver
        from modelyard.runtime._scheduler import Scheduler
        from modelyard.runtime._serving import Supervisor

        self.scheduler = Scheduler(context)
        self.supervisor = Supervisor(context)
        self.scheduler.add_hook(PipelineDriver(context).step)
        self.scheduler.add_hook(RayDriver(context).step)
        self.scheduler.add_hook(self.supervisor.step)

    def start(self) -> "Engines":
        from modelyard.runtime._tracking import tracking_client

        tracking_client(self.scheduler.context.location)  # the tracking store exists before any job starts
        self.scheduler.start()
        return self

    def stop(self) -> None:
        self.scheduler.stop()
        self.supervisor.stop_all()


def start_engines(context) -> Engines:
    return Engines(context).start()


__all__ = ["Engines", "start_engines"]
