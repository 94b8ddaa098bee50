"""Database engine for the metadata store, with migrations applied on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from modelyard._json import dumps
from modelyard._owner_only import private_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_database(url: str) -> Engine:
    """Create an engine for ``url`` (SQLite in WAL mode, its file owner-only, or PostgreSQL) and migrate it to head."""
    if url.startswith("sqlite"):
        private_sqlite(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               json_serializer=dumps)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, json_serializer=dumps)
    upgrade(engine)
    return engine


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        _lock_for_migration(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


MIGRATION_LOCK_KEY = 0x6D6F64656C79  # any constant: PostgreSQL advisory lock id for migrations


def _lock_for_migration(connection) -> None:
    """Serialise concurrent first opens: one process migrates, the others wait and find the schema at head."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, taken before alembic looks
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")


def scrub_freed_pages(engine: Engine) -> None:
    """Rewrite a SQLite database so that no freed page or old log frame still holds replaced values."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL: old row versions stay until autovacuum reuses the space (VACUUM FULL removes them)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unsynced_commits(connection: Connection) -> Iterator[None]:
    """Commits on ``connection`` meanwhile do not wait for the disk (an fsync: milliseconds, far more on a
    busy disk). The store stays consistent and a killed process loses nothing it committed (SQLite in WAL
    mode, PostgreSQL); a power cut can lose the commits made since the store's last synced one (the next
    synced write of any kind syncs them), never corrupt or reorder them."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        level = int(connection.exec_driver_sql("PRAGMA synchronous").scalar())
        connection.exec_driver_sql("PRAGMA synchronous=NORMAL")  # in WAL mode: no fsync at commit
    elif dialect == "postgresql":
        connection.exec_driver_sql("SET synchronous_commit TO OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        if dialect == "sqlite":
            connection.exec_driver_sql(f"PRAGMA synchronous={level}")
        elif dialect == "postgresql":
            connection.exec_driver_sql("RESET synchronous_commit")
        connection.commit()


@contextmanager
def unsynced_session(engine: Engine) -> Iterator[Session]:
    """A session in one transaction, committed at the end without waiting for the disk (``unsynced_commits``)."""
    with engine.connect() as connection, unsynced_commits(connection):
        with Session(connection, expire_on_commit=False) as session, session.begin():
            yield session
