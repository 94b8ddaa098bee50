"""The data profile as terminal tables: one row per column, as in the workshop's profile view."""

from __future__ import annotations

from modelyard.cli._output import cell, table
from modelyard.spec.data import DataProfile

TOP_VALUES = 20  # as the README promises


def types_text(counts: dict[str, int]) -> str:
    return " ".join(f"{kind}:{count}" for kind, count in sorted(counts.items(), key=lambda kv: -kv[1]))


def print_profile(profile: DataProfile) -> None:
    columns = [{
        "feature": c.name, "type": c.type, "type distribution": types_text(c.type_counts), "count": c.count,
        "not missing": c.non_missing, "missing": c.missing, "distinct": c.distinct, "min": c.min, "max": c.max,
    } for c in profile.columns]
    table(columns, list(columns[0]) if columns else [], f"profile: {profile.rows} rows, {len(profile.columns)} columns")
    moments = [{"feature": c.name, "mean": c.mean, "std": c.std, "variance": c.variance, "skewness": c.skewness,
                "kurtosis": c.kurtosis} for c in profile.columns if c.mean is not None]
    if moments:
        table(moments, list(moments[0]), "moments")
    numeric = [c for c in profile.columns if c.quantiles]
    if numeric:
        labels = list(numeric[0].quantiles)
        exact = all(c.quantiles_exact for c in numeric)
        rows = [{"feature": c.name, **{label: cell(c.quantiles.get(label)) for label in labels}} for c in numeric]
        table(rows, ["feature", *labels], "quantiles" + ("" if exact else " (approximate)"))
    categorical = [c for c in profile.columns if c.value_counts]
    if categorical:
        rows = [{"feature": c.name, "top values": ", ".join(f"{v.value} ({v.count})" for v in c.value_counts[:TOP_VALUES])}
                for c in categorical]
        table(rows, ["feature", "top values"], "most frequent values")
