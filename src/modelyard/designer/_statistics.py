"""Summarize Data: Azure's descriptive statistics, one row per column (numbers only where numeric).

Variance, standard deviation, skewness and kurtosis are the sample (bias-corrected) ones, as
pandas computes them; kurtosis is the excess kurtosis. Quartiles and percentiles interpolate
linearly; Mean Deviation is the mean absolute deviation from the mean.
"""

from __future__ import annotations

import numpy as np

from modelyard.designer._columns import NUMERIC, schema_of
from modelyard.designer._registry import module, port

PERCENTILES = {"P0.5": 0.005, "P1": 0.01, "P5": 0.05, "P95": 0.95, "P99.5": 0.995}


def _numbers(series) -> dict[str, float]:
    x = series.dropna().astype(float)
    if not len(x):
        return {}
    return {"Min": x.min(), "Max": x.max(), "Mean": x.mean(), "Mean Deviation": (x - x.mean()).abs().mean(),
            "1st Quartile": x.quantile(0.25), "Median": x.median(), "3rd Quartile": x.quantile(0.75),
            "Range": x.max() - x.min(), "Sample Variance": x.var(), "Sample Standard Deviation": x.std(),
            "Sample Skewness": x.skew(), "Sample Kurtosis": x.kurt(),
            **{name: x.quantile(q) for name, q in PERCENTILES.items()}}


@module("summarize_data", "Summarize Data", "Statistical Functions",
        "Descriptive statistics of every column: counts, missing values, mode, and for numbers the range, "
        "quartiles, percentiles, variance, skewness and kurtosis.",
        inputs=[port("dataset", "Dataset")], outputs=[port("result_dataset", "Result_dataset")])
def summarize_data(dataset):
    import pandas as pd

    schema = schema_of(dataset)
    rows = []
    for name in dataset.columns:
        series = dataset[name]
        modes = series.mode()
        row = {"Feature": name, "Count": int(series.notna().sum()), "Unique Value Count": int(series.nunique()),
               "Missing Value Count": int(series.isna().sum()), "Mode": str(modes.iloc[0]) if len(modes) else None}
        rows.append({**row, **(_numbers(series) if schema[name] in NUMERIC else {})})
    columns = ["Feature", "Count", "Unique Value Count", "Missing Value Count", "Min", "Max", "Mean", "Mean Deviation",
               "1st Quartile", "Median", "3rd Quartile", "Mode", "Range", "Sample Variance",
               "Sample Standard Deviation", "Sample Skewness", "Sample Kurtosis", *PERCENTILES]
    out = pd.DataFrame(rows).reindex(columns=columns)
    numeric = [c for c in columns if c not in ("Feature", "Mode", "Count", "Unique Value Count", "Missing Value Count")]
    out[numeric] = out[numeric].astype(float).replace([np.inf, -np.inf], np.nan)
    return out
