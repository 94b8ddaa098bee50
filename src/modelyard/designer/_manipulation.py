"""Data Transformation modules that reshape tables: Select Columns in Dataset, Edit Metadata,
Join Data, Add Columns, Add Rows, Remove Duplicate Rows."""

from __future__ import annotations

from modelyard.errors import InvalidInput

from modelyard.designer._columns import schema_of, select
from modelyard.designer._registry import EMPTY_RUN, columns, enum, module, parameter, port

CATEGORY = "Data Transformation"
LABEL_ATTR = "modelyard.designer.label"


@module("select_columns_in_dataset", "Select Columns in Dataset", CATEGORY,
        "Keeps the columns that Azure's column selector picks (by name, by type, all/except, rules).",
        inputs=[port("dataset", "Dataset")], outputs=[port("results_dataset", "Results dataset")],
        parameters=[columns("select_columns", "Select Columns")], schema=EMPTY_RUN)
def select_columns_in_dataset(dataset, *, select_columns):
    return dataset[select(select_columns, schema_of(dataset), "select_columns")]


_CASTS = {"String": "string", "Integer": "Int64", "Floating point": "float64", "Boolean": "boolean"}


def _cast(series, data_type: str, name: str):
    import pandas as pd

    try:
        if data_type == "DateTime":
            return pd.to_datetime(series)
        if data_type == "String":
            return series.astype(object).where(series.notna(), None).map(lambda v: v if v is None else str(v))
        if data_type == "Integer":
            numbers = pd.to_numeric(series)
            if (numbers.dropna() % 1 != 0).any():
                raise ValueError("it holds fractions")
            return numbers.astype("Int64") if numbers.isna().any() else numbers.astype("int64")
        return series.astype(_CASTS[data_type])
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"column '{name}' cannot become {data_type}: {error}") from None


@module("edit_metadata", "Edit Metadata", CATEGORY,
        "Changes columns' data type, makes them categorical or not, marks the label, renames them.",
        inputs=[port("dataset", "Dataset")], outputs=[port("results_dataset", "Results dataset")],
        parameters=[columns("column", "Column"),
                    enum("data_type", "Data type", ["Unchanged", "String", "Integer", "Floating point", "Boolean",
                                                    "DateTime"]),
                    enum("categorical", "Categorical", ["Unchanged", "Categorical", "Non categorical"]),
                    enum("fields", "Fields", ["Unchanged", "Label", "Clear label"]),
                    parameter("string", "new_column_names", "New column names", optional=True,
                              description="comma-separated, one per selected column")],
        schema=EMPTY_RUN)
def edit_metadata(dataset, *, column, data_type, categorical, fields, new_column_names):
    names = select(column, schema_of(dataset), "column")
    out = dataset.copy()
    for name in names:
        if data_type != "Unchanged":
            out[name] = _cast(out[name], data_type, name)
        if categorical == "Categorical":
            out[name] = out[name].astype("category")
        elif categorical == "Non categorical" and str(out[name].dtype) == "category":
            out[name] = out[name].astype(out[name].cat.categories.dtype)
    if fields == "Label":
        if len(names) != 1:
            raise InvalidInput(f"parameter 'Fields': a table has one label column, {len(names)} are selected")
        out.attrs[LABEL_ATTR] = names[0]
    elif fields == "Clear label" and out.attrs.get(LABEL_ATTR) in names:
        del out.attrs[LABEL_ATTR]
    if new_column_names:
        new = [name.strip() for name in new_column_names.split(",")]
        if len(new) != len(names):
            raise InvalidInput(f"parameter 'New column names' gives {len(new)} names for {len(names)} selected "
                               "columns; give one name per selected column")
        out = out.rename(columns=dict(zip(names, new)))
    return out


def _unique_names(left: list[str], right: list[str]) -> list[str]:
    """``right``'s names, each one that ``left`` already has suffixed " (2)" (" (3)", ...) as Azure does."""
    taken, out = set(left), []
    for name in right:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name} ({n})", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


JOIN_TYPES = {"Inner Join": "inner", "Left Outer Join": "left", "Full Outer Join": "outer", "Left Semi-Join": "semi"}


@module("join_data", "Join Data", CATEGORY, "Joins two tables on key columns (inner, left outer, full outer, "
        "left semi-join).",
        inputs=[port("left_dataset", "Left dataset"), port("right_dataset", "Right dataset")],
        outputs=[port("results_dataset", "Results dataset")],
        parameters=[columns("join_key_columns_for_left", "Join key columns for left dataset",
                            columns_of="left_dataset"),
                    columns("join_key_columns_for_right", "Join key columns for right dataset",
                            columns_of="right_dataset"),
                    parameter("boolean", "match_case", "Match case", True),
                    enum("join_type", "Join type", list(JOIN_TYPES)),
                    parameter("boolean", "keep_right_key_columns_in_joined_table",
                              "Keep right key columns in joined table", True)],
        schema=EMPTY_RUN)
def join_data(left_dataset, right_dataset, *, join_key_columns_for_left, join_key_columns_for_right, match_case,
              join_type, keep_right_key_columns_in_joined_table):
    left_keys = select(join_key_columns_for_left, schema_of(left_dataset), "join_key_columns_for_left")
    right_keys = select(join_key_columns_for_right, schema_of(right_dataset), "join_key_columns_for_right")
    if len(left_keys) != len(right_keys):
        raise InvalidInput(f"{len(left_keys)} left key columns but {len(right_keys)} right ones; select as many "
                           "key columns on each side, in matching order")

    def keys(frame, names):
        return [frame[n] if match_case else frame[n].map(lambda v: v.lower() if isinstance(v, str) else v)
                for n in names]

    left = left_dataset.reset_index(drop=True)
    right = right_dataset.reset_index(drop=True)
    right.columns = _unique_names(list(left.columns), list(right.columns))
    right_key_names = [right.columns[list(right_dataset.columns).index(n)] for n in right_keys]
    left_on = [f"__key{i}" for i in range(len(left_keys))]
    left_k = left.assign(**dict(zip(left_on, keys(left, left_keys))))
    right_k = right.assign(**dict(zip(left_on, keys(right, right_key_names))))
    if JOIN_TYPES[join_type] == "semi":
        return left[left_k.set_index(left_on).index.isin(right_k.set_index(left_on).index)]
    joined = left_k.merge(right_k, how=JOIN_TYPES[join_type], on=left_on).drop(columns=left_on)
    return joined if keep_right_key_columns_in_joined_table else joined.drop(columns=right_key_names)


@module("add_columns", "Add Columns", CATEGORY, "Puts the right table's columns after the left table's "
        "(same number of rows; a repeated name gets ' (2)').",
        inputs=[port("left_dataset", "Left dataset"), port("right_dataset", "Right dataset")],
        outputs=[port("combined_dataset", "Combined dataset")], schema=EMPTY_RUN)
def add_columns(left_dataset, right_dataset):
    import pandas as pd

    if len(left_dataset) != len(right_dataset):
        raise InvalidInput(f"the left dataset has {len(left_dataset)} rows and the right one {len(right_dataset)}; "
                           "Add Columns needs as many rows on each side (use Join Data to match rows by key)")
    right = right_dataset.reset_index(drop=True)
    right.columns = _unique_names(list(left_dataset.columns), list(right.columns))
    return pd.concat([left_dataset.reset_index(drop=True), right], axis=1)


@module("add_rows", "Add Rows", CATEGORY, "Appends the second table's rows to the first's (same columns).",
        inputs=[port("dataset1", "Dataset1"), port("dataset2", "Dataset2")],
        outputs=[port("results_dataset", "Results dataset")], schema=EMPTY_RUN)
def add_rows(dataset1, dataset2):
    import pandas as pd

    if set(dataset1.columns) != set(dataset2.columns):
        only1 = sorted(set(dataset1.columns) - set(dataset2.columns))
        only2 = sorted(set(dataset2.columns) - set(dataset1.columns))
        raise InvalidInput(f"the datasets' columns differ (only in dataset1: {', '.join(only1) or 'none'}; only in "
                           f"dataset2: {', '.join(only2) or 'none'}); select the same columns on both sides")
    return pd.concat([dataset1, dataset2[list(dataset1.columns)]], ignore_index=True)


@module("remove_duplicate_rows", "Remove Duplicate Rows", CATEGORY,
        "Removes rows whose key columns repeat an earlier (or later) row's.",
        inputs=[port("dataset", "Dataset")], outputs=[port("results_dataset", "Results dataset")],
        parameters=[columns("key_column_selection_filter_expression", "Key column selection filter expression"),
                    parameter("boolean", "retain_first_duplicate_row", "Retain first duplicate row", True)],
        schema=EMPTY_RUN)
def remove_duplicate_rows(dataset, *, key_column_selection_filter_expression, retain_first_duplicate_row):
    keys = select(key_column_selection_filter_expression, schema_of(dataset), "key_column_selection_filter_expression")
    return dataset.drop_duplicates(subset=keys, keep="first" if retain_first_duplicate_row else "last")
