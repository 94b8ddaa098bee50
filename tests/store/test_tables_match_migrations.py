"""The row classes and the migrations describe the same tables: a column one of them lacks, or a NOT NULL
column the rows leave unset, shows here rather than as an IntegrityError on some later insert."""

from __future__ import annotations

from sqlalchemy import inspect

from modelyard.store import Base, open_database


def test_every_table_of_the_rows_has_the_migrated_columns_and_nullability(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'store.db'}")
    migrated = inspect(engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"]: c for c in migrated.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, f"table {table.name}: rows and migrations differ"
        for column in table.columns:
            if not columns[column.name]["nullable"] and not column.primary_key:
                assert column.nullable is False or column.default is not None or column.server_default is not None, \
                    f"{table.name}.{column.name} is NOT NULL in the migrations but the rows may leave it unset"
    engine.dispose()
