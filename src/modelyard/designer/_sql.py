"""Apply SQL Transformation: a DuckDB query over the inputs as tables t1, t2 and t3, and nothing else."""

from __future__ import annotations

from modelyard.errors import InvalidInput

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

    # the query sees t1, t2 and t3 only: no files, no network, no extensions (it also runs while a draft is validated)
    connection = duckdb.connect(":memory:", config={"enable_external_access": False})
    try:
        for name, frame in (("t1", t1), ("t2", t2), ("t3", t3)):
            if frame is not None:
                connection.register(name, frame)
        result = connection.execute(sql_query_script.strip().rstrip(";"))
        if result.description is None:
            raise InvalidInput("the SQL script returns no table; end it with a SELECT")
        return result.df()
    except duckdb.Error as error:
        tables = ", ".join(n for n, f in (("t1", t1), ("t2", t2), ("t3", t3)) if f is not None)
        raise InvalidInput(f"the SQL query failed: {str(error).splitlines()[0]} (tables: {tables})") from None
    finally:
        connection.close()
