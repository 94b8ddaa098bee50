"""Clean Missing Data, Convert to Indicator Values and Apply Transformation.

Clean Missing Data acts on the selected columns whose share of missing values lies between the
minimum and maximum ratio; its fitted transformation substitutes the same statistics on new data.
"""

from __future__ import annotations

from modelyard.errors import InvalidInput

from modelyard.designer._columns import NUMERIC, schema_of, select
from modelyard.designer._registry import columns, enum, module, parameter, port
from modelyard.designer._values import Transformation

CATEGORY = "Data Transformation"
MODES = ["Custom substitution value", "Replace with mean", "Replace with median", "Replace with mode",
         "Remove entire row", "Remove entire column"]


def is_missing(value) -> bool:
    """A request's missing value: None, or a float NaN."""
    return value is None or (isinstance(value, float) and value != value)


def require_present(frame, names, what: str) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise InvalidInput(f"the {what} was fitted on columns the data lacks: {', '.join(missing)}; apply it to "
                           "data with the columns it was fitted on")


class MissingValueCleaner(Transformation):
    """Substitutes fitted values, or removes rows or columns, where values are missing."""

    def __init__(self, values=None, remove_rows=(), remove_columns=(), indicators=()):
        self.values = values or {}
        self.remove_rows = list(remove_rows)
        self.remove_columns = list(remove_columns)
        self.indicators = list(indicators)

    def transform(self, frame):
        require_present(frame, [*self.values, *self.remove_rows, *self.indicators], "cleaning transformation")
        out = frame.copy()
        for name in self.indicators:
            out[f"{name}_isMissing"] = out[name].isna()
        for name, value in self.values.items():
            out[name] = out[name].fillna(value)
        if self.remove_rows:
            out = out.dropna(subset=self.remove_rows)
        return out.drop(columns=[name for name in self.remove_columns if name in out.columns])

    def lower_columns(self):
        """This cleaning on a request's columns (name -> list of values), for the serving engine's compiled path.
        Removing rows changes the answer's length, so a batch with a row to remove is refused (ValueError):
        the model itself then answers it."""
        values, remove_rows = dict(self.values), list(self.remove_rows)
        indicators, remove_columns = list(self.indicators), list(self.remove_columns)

        def apply(columns: dict) -> dict:
            if any(is_missing(v) for name in remove_rows for v in columns[name]):
                raise ValueError("a row with a missing value would be removed")
            out = dict(columns)
            for name in indicators:
                out[f"{name}_isMissing"] = [is_missing(v) for v in columns[name]]
            for name, value in values.items():
                out[name] = [value if is_missing(v) else v for v in columns[name]]
            for name in remove_columns:
                out.pop(name, None)
            return out
        return apply


def _substitute(frame, names, mode: str, replacement: str | None) -> dict:
    schema = schema_of(frame)
    if mode in ("Replace with mean", "Replace with median"):
        other = [name for name in names if schema[name] not in NUMERIC]
        if other:
            raise InvalidInput(f"'{mode}' needs numeric columns, but {', '.join(other)} are not; select numeric "
                               "columns only (Column type: Numeric) or use 'Replace with mode'")
        return {name: float(frame[name].mean() if mode == "Replace with mean" else frame[name].median())
                for name in names}
    if mode == "Replace with mode":
        return {name: frame[name].mode().iloc[0] for name in names if frame[name].notna().any()}
    values = {}
    for name in names:
        if schema[name] in NUMERIC:
            try:
                values[name] = float(replacement)
            except (TypeError, ValueError):
                raise InvalidInput(f"replacement value {replacement!r} is not a number, and column '{name}' is "
                                   "numeric; give a number or select only text columns") from None
        else:
            values[name] = replacement
    return values


def _clean_schema(inputs, params):
    """The input's schema, unless columns may go or gain indicators (that depends on the data)."""
    if params["cleaning_mode"] == "Remove entire column" or params["generate_missing_value_indicator_column"]:
        return {}
    return {"cleaned_dataset": inputs.get("dataset")}


@module("clean_missing_data", "Clean Missing Data", CATEGORY,
        "Replaces missing values (custom value, mean, median, mode) or removes their rows or columns; also "
        "outputs the fitted cleaning transformation.",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("cleaned_dataset", "Cleaned dataset"),
                 port("cleaning_transformation", "Cleaning transformation", "TransformationDirectory")],
        parameters=[columns("columns_to_be_cleaned", "Columns to be cleaned", "all"),
                    parameter("number", "minimum_missing_value_ratio", "Minimum missing value ratio", 0.0,
                              minimum=0, maximum=1),
                    parameter("number", "maximum_missing_value_ratio", "Maximum missing value ratio", 1.0,
                              minimum=0, maximum=1),
                    enum("cleaning_mode", "Cleaning mode", MODES),
                    parameter("string", "replacement_value", "Replacement value", "0",
                              enabled_when={"cleaning_mode": ["Custom substitution value"]}),
                    parameter("boolean", "generate_missing_value_indicator_column",
                              "Generate missing value indicator column", False)],
        schema=_clean_schema)
def clean_missing_data(dataset, *, columns_to_be_cleaned, minimum_missing_value_ratio, maximum_missing_value_ratio,
                       cleaning_mode, replacement_value="0", generate_missing_value_indicator_column=False):
    names = select(columns_to_be_cleaned, schema_of(dataset), "columns_to_be_cleaned")
    ratios = dataset[names].isna().mean() if len(dataset) else dataset[names].isna().sum()
    chosen = [n for n in names if minimum_missing_value_ratio <= ratios[n] <= maximum_missing_value_ratio]
    indicators = chosen if generate_missing_value_indicator_column else []
    if cleaning_mode == "Remove entire row":
        cleaner = MissingValueCleaner(remove_rows=chosen, indicators=indicators)
    elif cleaning_mode == "Remove entire column":
        cleaner = MissingValueCleaner(remove_columns=[n for n in chosen if ratios[n] > 0], indicators=indicators)
    else:
        cleaner = MissingValueCleaner(_substitute(dataset, chosen, cleaning_mode, replacement_value),
                                      indicators=indicators)
    return cleaner.transform(dataset), cleaner


class IndicatorValues(Transformation):
    """One 0/1 column ``<column>-<level>`` per fitted level of each categorical column."""

    def __init__(self, levels=None, overwrite: bool = False):
        self.levels = levels or {}
        self.overwrite = overwrite

    def transform(self, frame):
        import pandas as pd

        require_present(frame, self.levels, "indicator transformation")
        blocks = []
        for name, levels in self.levels.items():
            text = frame[name].astype(object).map(lambda v: None if v is None or v != v else str(v))
            blocks.append(pd.DataFrame({f"{name}-{level}": (text == level).astype("int64") for level in levels},
                                       index=frame.index))
        base = frame.drop(columns=list(self.levels)) if self.overwrite else frame
        return pd.concat([base, *blocks], axis=1)


@module("convert_to_indicator_values", "Convert to Indicator Values", CATEGORY,
        "Turns each categorical column into one 0/1 column per level ('<column>-<level>').",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("results_dataset", "Results dataset"),
                 port("indicator_values_transformation", "Indicator values transformation", "TransformationDirectory")],
        parameters=[columns("categorical_columns_to_convert", "Categorical columns to convert"),
                    parameter("boolean", "overwrite_categorical_columns", "Overwrite categorical columns", False)])
def convert_to_indicator_values(dataset, *, categorical_columns_to_convert, overwrite_categorical_columns):
    schema = schema_of(dataset)
    names = select(categorical_columns_to_convert, schema, "categorical_columns_to_convert")
    other = [f"'{n}' ({schema[n]})" for n in names if schema[n] not in ("categorical", "string", "boolean")]
    if other:
        raise InvalidInput(f"columns {', '.join(other)} are not categorical; make them categorical with Edit "
                           "Metadata first")
    levels = {name: sorted({str(v) for v in dataset[name].dropna().unique()}) for name in names}
    transformation = IndicatorValues(levels, overwrite_categorical_columns)
    return transformation.transform(dataset), transformation


@module("apply_transformation", "Apply Transformation", "Model Scoring & Evaluation",
        "Applies a fitted transformation (cleaning, normalization, binning, indicators) to a dataset.",
        inputs=[port("transformation", "Transformation", "TransformationDirectory"), port("dataset", "Dataset")],
        outputs=[port("transformed_dataset", "Transformed dataset")])
def apply_transformation(transformation, dataset):
    return transformation.transform(dataset)
