"""Database engine for the metadata store, with migrations applied on open."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
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
