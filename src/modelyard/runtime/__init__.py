"""The job runtime: workers, the scheduler, pipelines, remote (Ray) execution and endpoint supervision."""

from __future__ import annotations

import threading


class Engines:
    """The long-lived parts of a workspace server, started and stopped together."""

    def __init__(self, context) -> None:
        from modelyard.runtime._event_retention import EventPruner
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
        self.event_pruner = EventPruner(context)
        self._stopping = threading.Event()
        self._changing = threading.Lock()  # a start step and stop() never interleave

    def start(self) -> "Engines":
        # MLflow's tracking store is not opened here: its import and its store cost a process about 5 s of CPU,
        # and a server that never runs a job never pays them (the scheduler opens it beside its first worker's
        # start-up; whichever process comes first creates it, under a file lock: ``services._tracking``)
        with self._changing:
            if not self._stopping.is_set():
                self.webhooks.start()
                self.event_pruner.start()
                self.scheduler.start()
                self.schedules.start()
        return self

    def start_in_background(self) -> "Engines":
        """Start in a thread, so that the server answers meanwhile: the engines' imports take seconds. Until
        the scheduler runs, submitted jobs wait Queued and endpoints are not routed yet."""
        import logging

        def start() -> None:
            try:
                self.start()
            except Exception:
                logging.getLogger("modelyard.runtime").exception("the engines could not start: jobs stay Queued")

        self._warming = threading.Thread(target=start, name="modelyard-engines-start", daemon=True)
        self._warming.start()
        return self

    def stop(self) -> None:
        """Stop what started; a start still under way starts nothing more (it is not waited for)."""
        with self._changing:
            self._stopping.set()
            self.schedules.stop()
            if self.scheduler.started:
                self.scheduler.stop()
            self.supervisor.stop_all()
            self.notebooks.stop_all()
            self.webhooks.stop()
            self.event_pruner.stop()


def start_engines(context, background: bool = False) -> Engines:
    engines = Engines(context)
    return engines.start_in_background() if background else engines.start()


__all__ = ["Engines", "start_engines"]
