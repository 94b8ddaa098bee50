"""The job runtime: workers, the scheduler, pipelines, remote (Ray) execution and endpoint supervision."""

from __future__ import annotations


class Engines:
    """The long-lived parts of a workspace server, started and stopped together."""

    def __init__(self, context) -> None:
        from modelyard.runtime._notebooks import NotebookSupervisor
        from modelyard.runtime._pipelines import PipelineDriver
        from modelyard.runtime._ray import RayDriver
        from modelyard.runtime._scheduler import Scheduler
        from modelyard.runtime._schedules import ScheduleRunner
        from modelyard.runtime._serving import Supervisor
        from modelyard.runtime._webhooks import WebhookDispatcher

        self.scheduler = Scheduler(context)
        self.supervisor = Supervisor(context)
        self.scheduler.add_hook(PipelineDriver(context).step)
        self.scheduler.add_hook(RayDriver(context).step)
        self.scheduler.add_hook(self.supervisor.step)
        self.notebooks = NotebookSupervisor(context)
        self.scheduler.add_hook(self.notebooks.step)
        self.schedules = ScheduleRunner(context)
        self.webhooks = WebhookDispatcher(context)

    def start(self) -> "Engines":
        from modelyard.services._tracking import tracking_client

        self.webhooks.start()  # needs no tracking store
        tracking_client(self.scheduler.context.location)  # the tracking store exists before any job starts
        self.scheduler.start()
        self.schedules.start()
        return self

    def start_in_background(self) -> "Engines":
        """Start in a thread, so that the server answers meanwhile: MLflow's import and its store take
        seconds. Until the scheduler runs, submitted jobs wait Queued and endpoints are not routed yet."""
        import logging
        import threading

        def start() -> None:
            try:
                self.start()
            except Exception:
                logging.getLogger("modelyard.runtime").exception("the engines could not start: jobs stay Queued")

        self._warming = threading.Thread(target=start, name="modelyard-engines-start", daemon=True)
        self._warming.start()
        return self

    def stop(self) -> None:
        warming = getattr(self, "_warming", None)
        if warming is not None:
            warming.join()  # a scheduler that is starting is stopped once it runs
        self.schedules.stop()
        if self.scheduler.started:
            self.scheduler.stop()
        self.supervisor.stop_all()
        self.notebooks.stop_all()
        self.webhooks.stop()


def start_engines(context, background: bool = False) -> Engines:
    engines = Engines(context)
    return engines.start_in_background() if background else engines.start()


__all__ = ["Engines", "start_engines"]
