"""The handles every service shares: the workspace, its database and its artifact store."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine
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

    def __post_init__(self) -> None:
        self.cache_dir = self.location.folder / "cache"

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
