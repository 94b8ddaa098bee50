"""The handles every service shares: the workspace, its database and its artifact store."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from modelyard.services.workspace import WorkspaceLocation
from modelyard.store import ArtifactStore, open_database, session_factory


@dataclass
class ServiceContext:
    location: WorkspaceLocation
    engine: Engine
    sessions: sessionmaker[Session]
    artifacts: ArtifactStore
    cache_dir: Path = field(init=False)
    # Set by every write through this context (a job submitted, a deployment changed, ...): the server's
    # engines, idle, wait on it instead of polling the store several times a second.
    changed: threading.Event = field(init=False, default_factory=threading.Event)
    # Set when a schedule is made, changed or removed: the schedule runner sleeps until the next tick or this.
    schedules_changed: threading.Event = field(init=False, default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.cache_dir = self.location.folder / "cache"
        # committed, not flushed: woken before the commit, the engines would not see the write yet
        event.listen(self.sessions, "after_flush", lambda session, _: session.info.update(wrote=True))
        event.listen(self.sessions, "after_rollback", lambda session: session.info.pop("wrote", None))
        event.listen(self.sessions, "after_commit",
                     lambda session: session.info.pop("wrote", False) and self.changed.set())

    @classmethod
    def open(cls, location: WorkspaceLocation) -> "ServiceContext":
        """The workspace's handles; on the way its files are made owner-only and plain-text secrets encrypted."""
        from modelyard.services.datastores import DatastoreService

        location.protect()
        engine = open_database(location.database_url)
        context = cls(location, engine, session_factory(engine), ArtifactStore(location.artifact_root))
        try:
            DatastoreService(context).encrypt_plain_secrets()
        except BaseException:
            context.close()
            raise
        return context

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
