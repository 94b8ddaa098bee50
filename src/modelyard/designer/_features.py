"""Filter Based Feature Selection: each feature's score against the target; the top N kept.

Scores: Pearson, Spearman and Kendall (tau-b) correlation, as absolute values; Mutual Information
(in nats, on the values as discrete symbols); Chi Squared (the statistic of the feature x target
contingency table, no continuity correction); Count Based (non-missing, non-zero values). Text
columns take the codes of their sorted levels for the correlations. Rows missing the feature or
the target are left out of that feature's score; a score that cannot be computed (a constant
column) is 0.
"""

from __future__ import annotations

import numpy as np

from modelyard.designer._columns import require_columns, schema_of
from modelyard.designer._registry import column, enum, module, parameter, port

METHODS = ["Pearson Correlation", "Mutual Information", "Kendall Correlation", "Spearman Correlation",
           "Chi Squared", "Count Based"]


def _codes(series):
    if series.dtype.kind in "iufb":
        return series.astype(float)
    return series.astype(object).astype("category").cat.codes.astype(float).where(series.notna())


def score(feature, target, method: str) -> float:
    import pandas as pd
    from scipy import stats

    if method == "Count Based":
        return float(((feature.notna()) & (feature.astype(object) != 0)).sum())
    pair = pd.DataFrame({"x": feature, "y": target}).dropna()
    if len(pair) < 2 or pair["x"].nunique() < 2 or pair["y"].nunique() < 2:
        return 0.0
    if method == "Chi Squared":
        return float(stats.chi2_contingency(pd.crosstab(pair["x"], pair["y"]), correction=False).statistic)
    if method == "Mutual Information":
        from sklearn.metrics import mutual_info_score

        return float(mutual_info_score(pair["x"].astype(str), pair["y"].astype(str)))
    x, y = _codes(pair["x"]), _codes(pair["y"])
    measure = {"Pearson Correlation": stats.pearsonr, "Spearman Correlation": stats.spearmanr,
               "Kendall Correlation": stats.kendalltau}[method]
    value = float(measure(x, y).statistic)
    return abs(value) if np.isfinite(value) else 0.0


@module("filter_based_feature_selection", "Filter Based Feature Selection", "Feature Selection",
        "Scores every feature against the target column and keeps the N best (plus the target).",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("filtered_dataset", "Filtered dataset"), port("features", "Features")],
        parameters=[enum("feature_scoring_method", "Feature scoring method", METHODS),
                    column("target_column", "Target column"),
                    parameter("integer", "number_of_desired_features", "Number of desired features", 1, minimum=1)])
def filter_based_feature_selection(dataset, *, feature_scoring_method, target_column, number_of_desired_features):
    import pandas as pd

    require_columns([target_column], schema_of(dataset), "target_column")
    target = dataset[target_column]
    scores = {name: score(dataset[name], target, feature_scoring_method)
              for name in dataset.columns if name != target_column}
    ranked = sorted(scores, key=lambda name: -scores[name])
    kept = ranked[:number_of_desired_features]
    return dataset[[target_column, *kept]], pd.DataFrame([[scores[name] for name in ranked]], columns=ranked)
