"""Numeric column transformations: Normalize Data, Clip Values, Apply Math Operation, Group Data into Bins.

Normalize Data's methods (statistics fitted on the input, kept in its transformation):
ZScore ``(x - mean) / std`` (population std, as scikit-learn's StandardScaler), MinMax
``(x - min) / (max - min)``, Logistic ``1 / (1 + exp(-x))``, LogNormal the CDF of the lognormal
fitted to the positive values (``mu``, ``sigma`` = mean and population std of ``ln x``; 0 for
``x <= 0``), Tanh ``tanh(x)``. A constant column becomes 0 (or missing when that box is cleared).
"""

from __future__ import annotations

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._columns import numeric_only, schema_of, select
from modelyard.designer._registry import EMPTY_RUN, columns, enum, module, parameter, port
from modelyard.designer._values import Transformation
from modelyard.designer._clean import require_present

CATEGORY = "Data Transformation"
NUMERIC_COLUMNS = {"isFilter": True, "rules": [{"ruleType": "ColumnTypes", "columnTypes": ["Numeric"]}]}
OUTPUT_MODES = ["Append", "Inplace", "ResultOnly"]


def _numeric(frame, selection, parameter_name: str) -> list[str]:
    schema = schema_of(frame)
    return numeric_only(select(selection, schema, parameter_name), schema, parameter_name,
                        "select numeric columns only (Column type: Numeric)")


def _place(frame, results: dict, mode: str, name_of):
    """Put computed columns into the frame: beside the originals, over them, or alone."""
    import pandas as pd

    if mode == "Inplace":
        out = frame.copy()
        for name, values in results.items():
            out[name] = values
        return out
    renamed = pd.DataFrame({name_of(name): values for name, values in results.items()}, index=frame.index)
    return renamed if mode == "ResultOnly" else pd.concat([frame, renamed], axis=1)


class Normalizer(Transformation):
    def __init__(self, method: str = "ZScore", statistics=None, zero_for_constant: bool = True):
        self.method = method
        self.statistics = statistics or {}
        self.zero_for_constant = zero_for_constant

    def _column(self, x, stats):
        from scipy.special import erf

        constant = 0.0 if self.zero_for_constant else np.nan
        if self.method == "Logistic":
            return 1 / (1 + np.exp(-x))
        if self.method == "Tanh":
            return np.tanh(x)
        low, spread = stats
        if spread == 0 or not np.isfinite(spread):
            return np.where(np.isnan(x), np.nan, constant)
        if self.method == "LogNormal":
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (np.log(np.where(x > 0, x, 1.0)) - low) / (spread * np.sqrt(2))
            return np.where(np.isnan(x), np.nan, np.where(x > 0, 0.5 + 0.5 * erf(z), 0.0))
        return (x - low) / spread

    def lower_columns(self):
        """This normalization on a request's columns (name -> list of values): the serving engine's compiled
        path runs it in front of the model's featurizer instead of going through pandas."""
        statistics = dict(self.statistics)

        def apply(columns: dict) -> dict:
            out = dict(columns)
            for name, stats in statistics.items():
                x = np.array([np.nan if v is None else v for v in columns[name]], dtype=float)
                out[name] = self._column(x, stats).tolist()
            return out
        return apply

    def transform(self, frame):
        require_present(frame, self.statistics, "normalization")
        out = frame.copy()
        for name, stats in self.statistics.items():
            out[name] = self._column(out[name].to_numpy(dtype=float), stats)
        return out


def fit_statistics(method: str, x: np.ndarray):
    """``(offset, spread)`` of one column for ZScore, MinMax and LogNormal; None for the fixed formulas."""
    x = x[~np.isnan(x)]
    if method == "LogNormal":
        x = np.log(x[x > 0])
    if not len(x):
        return 0.0, 0.0
    if method in ("ZScore", "LogNormal"):
        return float(x.mean()), float(x.std())
    if method == "MinMax":
        return float(x.min()), float(x.max() - x.min())
    return None


@module("normalize_data", "Normalize Data", CATEGORY,
        "Rescales numeric columns (ZScore, MinMax, Logistic, LogNormal, Tanh); also outputs the fitted transformation.",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("transformed_dataset", "Transformed dataset"),
                 port("transformation_function", "Transformation function", "TransformationDirectory")],
        parameters=[enum("transformation_method", "Transformation method",
                         ["ZScore", "MinMax", "Logistic", "LogNormal", "Tanh"]),
                    parameter("boolean", "use_0_for_constant_columns_when_checked",
                              "Use 0 for constant columns when checked", True),
                    columns("columns_to_transform", "Columns to transform", NUMERIC_COLUMNS)],
        schema=EMPTY_RUN)
def normalize_data(dataset, *, transformation_method, use_0_for_constant_columns_when_checked, columns_to_transform):
    names = _numeric(dataset, columns_to_transform, "columns_to_transform")
    statistics = {name: fit_statistics(transformation_method, dataset[name].to_numpy(dtype=float)) for name in names}
    normalizer = Normalizer(transformation_method, statistics, use_0_for_constant_columns_when_checked)
    return normalizer.transform(dataset), normalizer


SUBSTITUTES = ["Threshold", "Mean", "Median", "Missing"]


def _substitute(x: np.ndarray, mask: np.ndarray, how: str, threshold: float) -> np.ndarray:
    if not mask.any():
        return x
    value = {"Threshold": lambda: threshold, "Mean": lambda: np.nanmean(x), "Median": lambda: np.nanmedian(x),
             "Missing": lambda: np.nan}[how]()
    return np.where(mask, value, x)


@module("clip_values", "Clip Values", CATEGORY,
        "Replaces values above an upper or below a lower threshold (constant or percentile) with the threshold, "
        "the mean, the median or a missing value.",
        inputs=[port("dataset", "Dataset")], outputs=[port("results_dataset", "Results dataset")],
        parameters=[enum("set_of_thresholds", "Set of thresholds",
                         ["ClipPeaks", "ClipSubpeaks", "ClipPeaksAndSubpeaks"]),
                    enum("threshold", "Threshold", ["Constant", "Percentile"]),
                    parameter("number", "upper_threshold", "Upper threshold", 99.0,
                              enabled_when={"set_of_thresholds": ["ClipPeaks", "ClipPeaksAndSubpeaks"]}),
                    parameter("number", "lower_threshold", "Lower threshold", 1.0,
                              enabled_when={"set_of_thresholds": ["ClipSubpeaks", "ClipPeaksAndSubpeaks"]}),
                    enum("substitute_value_for_peaks", "Substitute value for peaks", SUBSTITUTES),
                    enum("substitute_value_for_subpeaks", "Substitute value for subpeaks", SUBSTITUTES),
                    columns("list_of_columns", "List of columns", NUMERIC_COLUMNS),
                    parameter("boolean", "overwrite_flag", "Overwrite flag", True)],
        schema=EMPTY_RUN)
def clip_values(dataset, *, set_of_thresholds, threshold, upper_threshold, lower_threshold, substitute_value_for_peaks,
                substitute_value_for_subpeaks, list_of_columns, overwrite_flag):
    if threshold == "Percentile" and not all(0 <= v <= 100 for v in (upper_threshold, lower_threshold)):
        raise InvalidInput("percentile thresholds must lie between 0 and 100")
    results = {}
    for name in _numeric(dataset, list_of_columns, "list_of_columns"):
        x = dataset[name].to_numpy(dtype=float)
        upper, lower = ((np.nanpercentile(x, upper_threshold), np.nanpercentile(x, lower_threshold))
                        if threshold == "Percentile" and len(x) else (upper_threshold, lower_threshold))
        if set_of_thresholds != "ClipSubpeaks":
            x = _substitute(x, x > upper, substitute_value_for_peaks, upper)
        if set_of_thresholds != "ClipPeaks":
            x = _substitute(x, x < lower, substitute_value_for_subpeaks, lower)
        results[name] = x
    return _place(dataset, results, "Inplace" if overwrite_flag else "Append", lambda n: f"{n}_clipped")


BASIC = {"Abs": np.abs, "Exp": np.exp, "Exp2": np.exp2, "Ln": np.log, "Log10": np.log10, "Log2": np.log2,
         "Negate": np.negative, "Sign": np.sign, "Sqrt": np.sqrt, "Square": np.square}
OPERATIONS = {"Add": np.add, "Subtract": np.subtract, "Multiply": np.multiply, "Divide": np.divide}
ROUNDING = {"Ceiling": np.ceil, "Floor": np.floor, "Round": np.round, "Truncate": np.trunc}


def _math(x: np.ndarray, category: str, name: str, constant: float, precision: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if category == "Basic":
            result = BASIC[name](x)
        elif category == "Operations":
            result = OPERATIONS[name](x, constant)
        else:
            scale = 10.0 ** precision
            result = ROUNDING[name](x * scale) / scale
    return np.where(np.isfinite(result), result, np.nan)


@module("apply_math_operation", "Apply Math Operation", CATEGORY,
        "Applies a function (Basic), an arithmetic operation with a constant (Operations) or rounding to numeric "
        "columns; results appended as '<Operation>(<column>)', in place, or alone.",
        inputs=[port("dataset", "Dataset")], outputs=[port("results_dataset", "Results dataset")],
        parameters=[enum("category", "Category", ["Basic", "Operations", "Rounding"]),
                    enum("basic_math_function", "Basic math function", list(BASIC),
                         enabled_when={"category": ["Basic"]}),
                    enum("arithmetic_operation", "Arithmetic operation", list(OPERATIONS),
                         enabled_when={"category": ["Operations"]}),
                    parameter("number", "second_argument", "Second argument", 1.0,
                              enabled_when={"category": ["Operations"]}),
                    enum("rounding_operation", "Rounding operation", list(ROUNDING),
                         enabled_when={"category": ["Rounding"]}),
                    parameter("integer", "precision", "Precision", 0, minimum=-15, maximum=15,
                              enabled_when={"category": ["Rounding"]}),
                    columns("column_set", "Column set", NUMERIC_COLUMNS),
                    enum("output_mode", "Output mode", OUTPUT_MODES)],
        schema=EMPTY_RUN)
def apply_math_operation(dataset, *, category, basic_math_function, arithmetic_operation, second_argument,
                         rounding_operation, precision, column_set, output_mode):
    operation = {"Basic": basic_math_function, "Operations": arithmetic_operation,
                 "Rounding": rounding_operation}[category]
    results = {name: _math(dataset[name].to_numpy(dtype=float), category, operation, second_argument, precision)
               for name in _numeric(dataset, column_set, "column_set")}
    return _place(dataset, results, output_mode, lambda n: f"{operation}({n})")


class Binning(Transformation):
    """Bin numbers 1..k of each column by its fitted inner edges (a value equal to an edge goes left)."""

    def __init__(self, edges=None, mode: str = "Append", categorical: bool = True):
        self.edges = edges or {}
        self.mode = mode
        self.categorical = categorical

    @staticmethod
    def _bins(x: np.ndarray, inner) -> np.ndarray:
        return np.searchsorted(np.asarray(inner), x, side="left") + 1

    def transform(self, frame):
        import pandas as pd

        require_present(frame, self.edges, "binning transformation")
        results = {}
        for name, inner in self.edges.items():
            x = frame[name].to_numpy(dtype=float)
            bins = pd.array(self._bins(x, inner), dtype="Int64")
            bins[np.isnan(x)] = pd.NA
            results[name] = pd.Series(bins, index=frame.index).astype("category" if self.categorical else "Int64")
        return _place(frame, results, self.mode, _quantized)

    def lower_columns(self):
        """This binning on a request's columns (name -> list of values), for the serving engine's compiled path:
        bin numbers as ints (None where the value is missing), placed as ``transform`` places them."""
        edges, mode = dict(self.edges), self.mode

        def apply(columns: dict) -> dict:
            results = {}
            for name, inner in edges.items():
                x = np.array([np.nan if v is None else v for v in columns[name]], dtype=float)
                results[name] = [None if missing else int(b) for b, missing in zip(self._bins(x, inner), np.isnan(x))]
            if mode == "Inplace":
                return {**columns, **results}
            renamed = {_quantized(name): values for name, values in results.items()}
            return renamed if mode == "ResultOnly" else {**columns, **renamed}
        return apply


def _quantized(name: str) -> str:
    return f"{name}_quantized"


def _inner_edges(x: np.ndarray, mode: str, bins: int, custom: list[float]) -> list[float]:
    x = x[~np.isnan(x)]
    if mode == "Custom Edges":
        return sorted(custom)
    if not len(x):
        return []
    if mode == "Quantiles":
        edges = np.quantile(x, np.linspace(0, 1, bins + 1))
    else:
        edges = np.linspace(x.min(), x.max(), bins + 1)
    return [float(e) for e in np.unique(edges[1:-1])]


@module("group_data_into_bins", "Group Data into Bins", CATEGORY,
        "Puts numeric values into bins (quantiles, equal width or custom edges), numbered from 1; also outputs "
        "the fitted binning transformation.",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("results_dataset", "Results dataset"),
                 port("binning_transformation", "Binning transformation", "TransformationDirectory")],
        parameters=[enum("binning_mode", "Binning mode", ["Quantiles", "Equal Width", "Custom Edges"]),
                    parameter("integer", "number_of_bins", "Number of bins", 10, minimum=1, maximum=10000,
                              enabled_when={"binning_mode": ["Quantiles", "Equal Width"]}),
                    parameter("string", "comma_separated_list_of_bin_edges", "Comma-separated list of bin edges",
                              enabled_when={"binning_mode": ["Custom Edges"]}),
                    columns("columns_to_bin", "Columns to bin", NUMERIC_COLUMNS),
                    enum("output_mode", "Output mode", OUTPUT_MODES),
                    parameter("boolean", "tag_columns_as_categorical", "Tag columns as categorical", True)],
        schema=EMPTY_RUN)
def group_data_into_bins(dataset, *, binning_mode, number_of_bins, comma_separated_list_of_bin_edges, columns_to_bin,
                         output_mode, tag_columns_as_categorical):
    try:
        custom = [float(v) for v in (comma_separated_list_of_bin_edges or "").split(",") if v.strip()]
    except ValueError:
        raise InvalidInput(f"bin edges {comma_separated_list_of_bin_edges!r} are not numbers separated by "
                           "commas") from None
    if binning_mode == "Custom Edges" and not custom:
        raise InvalidInput("'Custom Edges' needs at least one edge, e.g. 30,40,50")
    edges = {name: _inner_edges(dataset[name].to_numpy(dtype=float), binning_mode, number_of_bins, custom)
             for name in _numeric(dataset, columns_to_bin, "columns_to_bin")}
    binning = Binning(edges, output_mode, tag_columns_as_categorical)
    return binning.transform(dataset), binning


