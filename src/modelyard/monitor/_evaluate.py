"""One feature of one signal: every metric of its column type, the checked ones against their thresholds."""

from __future__ import annotations

from dataclasses import dataclass

from modelyard.monitor import _metrics as m
from modelyard.monitor._columns import CategoricalColumn, NumericColumn
from modelyard.monitor._histograms import aligned_counts, categorical_histogram, numeric_histogram
from modelyard.spec.monitor import DRIFT_METRICS, P_VALUE_METRICS, FeatureResult, Histogram, MetricResult, SignalType


@dataclass(frozen=True)
class Measured:
    value: float | None
    statistic: float | None = None
    note: str | None = None


def _empty_note(reference_n: int, production_n: int) -> str | None:
    sides = [name for name, n in (("reference", reference_n), ("production", production_n)) if n == 0]
    return f"{' and '.join(sides)} {'has' if len(sides) == 1 else 'have'} no non-null values" if sides else None


def _unless_empty(column_type: str, reference_n: int, production_n: int, measure) -> dict[str, Measured]:
    """``measure()``, or every drift metric of the type left empty with a note when a side has no values."""
    note = _empty_note(reference_n, production_n)
    return {name: Measured(None, note=note) for name in DRIFT_METRICS[column_type]} if note else measure()


def numeric_drift(reference: NumericColumn, production: NumericColumn) -> dict[str, Measured]:
    ref, prod = reference.values, production.values

    def measure() -> dict[str, Measured]:
        statistic, p_value = m.two_sample_ks_test(ref, prod)
        return {"normalized_wasserstein_distance": Measured(m.normalized_wasserstein_distance(ref, prod)),
                "two_sample_kolmogorov_smirnov_test": Measured(p_value, statistic),
                "population_stability_index": Measured(m.numeric_psi(ref, prod))}

    return _unless_empty("numerical", ref.n, prod.n, measure)


def categorical_drift(reference: CategoricalColumn, production: CategoricalColumn) -> dict[str, Measured]:
    _, ref, prod = aligned_counts(reference, production)

    def measure() -> dict[str, Measured]:
        statistic, p_value = m.chi_squared_test(ref, prod)
        return {"jensen_shannon_distance": Measured(m.jensen_shannon_distance(ref, prod)),
                "pearsons_chi_squared_test": Measured(p_value, statistic),
                "population_stability_index": Measured(m.population_stability_index(ref, prod))}

    return _unless_empty("categorical", int(ref.sum()), int(prod.sum()), measure)


def histogram(reference: NumericColumn | CategoricalColumn,
              production: NumericColumn | CategoricalColumn) -> Histogram:
    if isinstance(reference, NumericColumn):
        return numeric_histogram(reference.values, production.values)
    return categorical_histogram(*aligned_counts(reference, production))


def quality(reference: NumericColumn | CategoricalColumn,
            production: NumericColumn | CategoricalColumn) -> dict[str, Measured]:
    """Null and type error rates over the production rows; out-of-bounds over its valid values: outside the
    reference's [min, max] for numbers, not among the reference's categories otherwise."""
    rows = production.rows
    if isinstance(production, NumericColumn):
        valid, ref = production.values, reference.values
        outside = int(valid.counts[(valid.values < ref.values[0]) | (valid.values > ref.values[-1])].sum()) \
            if ref.n else valid.n
        valid_n = valid.n
    else:
        outside = sum(n for category, n in production.counts.items() if category not in reference.counts)
        valid_n = production.valid
    return {
        "null_value_rate": Measured(production.nulls / rows),
        "data_type_error_rate": Measured(production.type_errors / rows),
        "out_of_bounds_rate": Measured(outside / valid_n if valid_n else None,
                                       note=None if valid_n else "production has no valid values"),
    }


def judge(metric: str, measured: Measured, threshold: float | None) -> MetricResult:
    """Distances and rates pass at or below their threshold; p-values pass at or above it."""
    passed = None
    if threshold is not None and measured.value is not None:
        passed = measured.value >= threshold if metric in P_VALUE_METRICS else measured.value <= threshold
    return MetricResult(metric=metric, value=measured.value, statistic=measured.statistic, threshold=threshold,
                        passed=passed, note=measured.note)


def evaluate_feature(name: str, signal_type: SignalType, reference: NumericColumn | CategoricalColumn,
                     production: NumericColumn | CategoricalColumn, thresholds: dict[str, float]) -> FeatureResult:
    numerical = isinstance(reference, NumericColumn)
    if signal_type == "data_quality":
        measured = quality(reference, production)
    else:
        measured = (numeric_drift if numerical else categorical_drift)(reference, production)
    metrics = [judge(metric, value, thresholds.get(metric)) for metric, value in measured.items()]
    verdicts = [metric.passed for metric in metrics if metric.passed is not None]
    return FeatureResult(feature=name, column_type="numerical" if numerical else "categorical",
                         passed=all(verdicts) if verdicts else None, metrics=metrics,
                         histogram=histogram(reference, production),
                         reference_rows=reference.valid, production_rows=production.valid)
