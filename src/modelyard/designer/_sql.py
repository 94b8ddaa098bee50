"""Apply SQL Transformation: a DuckDB query over the inputs as tables t1, t2 and t3, and nothing else.

The query runs with DuckDB's external access off (no files, network or extensions), and within the
caller's ``modelyard.data.time_limit`` when one is set: a draft's validation runs the query on empty
tables to learn its columns, and a server bounds that work.
"""

from __future__ import annotations

from modelyard.errors import InvalidInput, TimeLimitExceeded

from modelyard.designer._registry import EMPTY_RUN, module, parameter, port

DEFAULT_QUERY = "select * from t1;"


@module("apply_sql_transformation", "Apply SQL Transformation", "Data Transformation",
        "Runs a SQL query (DuckDB's dialect) over up to three tables named t1, t2 and t3.",
        inputs=[port("t1", "t1"), port("t2", "t2", optional=True), port("t3", "t3", optional=True)],
        outputs=[port("result_dataset", "Result_dataset")],
        parameters=[parameter("script", "sql_query_script", "SQL query script", DEFAULT_QUERY)],
        schema=EMPTY_RUN)
def apply_sql_transformation(t1, t2, t3, *, sql_query_script):
    import duckdb

    from modelyard.data._duck import _Watchdog  # the data engine's deadline, shared by every DuckDB query

    tables = {name: frame for name, frame in (("t1", t1), ("t2", t2), ("t3", t3)) if frame is not None}
    connection = duckdb.connect(":memory:", config={"enable_external_access": False})
    watchdog = None
    try:
        watchdog = _Watchdog(connection)
        for name, frame in tables.items():
            connection.register(name, frame)
        result = connection.execute(sql_query_script.strip().rstrip(";"))
        if result.description is None:
            raise InvalidInput("the SQL script returns no table; end it with a SELECT")
        return result.df()
    except duckdb.Error as error:
        if watchdog is not None and watchdog.fired:
            raise TimeLimitExceeded(f"Apply SQL Transformation: the query ran past the {watchdog.limit:g} s limit "
                                    "and was stopped; simplify it or filter rows earlier") from None
        first_line = str(error).splitlines()[0]
        raise InvalidInput(f"the SQL query failed: {first_line} (tables: {', '.join(tables)})") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()
