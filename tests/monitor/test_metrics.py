"""Each drift metric equals scipy's (or the textbook PSI) on fixed vectors within 1e-9, edge cases included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

from modelyard.monitor import compute_drift
from modelyard.spec.monitor import MonitorSignal

from .conftest import feature, metric

TOL = dict(rel=1e-9, abs=1e-12)
EVERY_DRIFT_METRIC = MonitorSignal(type="data_drift", metric_thresholds={
    "numerical": {"normalized_wasserstein_distance": 0.1, "two_sample_kolmogorov_smirnov_test": 0.05,
                  "population_stability_index": 0.2},
    "categorical": {"jensen_shannon_distance": 0.1, "pearsons_chi_squared_test": 0.05,
                    "population_stability_index": 0.2}})


def drift(reference: list, production: list, signal: MonitorSignal = EVERY_DRIFT_METRIC):
    return compute_drift(pd.DataFrame({"x": reference}), pd.DataFrame({"x": production}), signal)


def textbook_psi(reference: np.ndarray, production: np.ndarray) -> float:
    """PSI over the reference's deciles (inverted CDF), right-closed bins open at both ends, empty bins 1e-4."""
    edges = np.unique(np.quantile(reference, np.linspace(0.1, 0.9, 9), method="inverted_cdf"))
    bounds = np.concatenate([[-np.inf], edges, [np.inf]])
    psi = 0.0
    for low, high in zip(bounds[:-1], bounds[1:]):
        expected = np.mean((reference > low) & (reference <= high)) or 1e-4
        actual = np.mean((production > low) & (production <= high)) or 1e-4
        psi += (actual - expected) * np.log(actual / expected)
    return psi


def category_psi(expected: np.ndarray, actual: np.ndarray) -> float:
    expected = np.where(expected > 0, expected / expected.sum(), 1e-4)
    actual = np.where(actual > 0, actual / actual.sum(), 1e-4)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def assert_numeric_metrics_equal_scipy(reference: np.ndarray, production: np.ndarray):
    result = drift(list(reference), list(production))
    ks = ks_2samp(reference, production)
    assert metric(result, "x", "normalized_wasserstein_distance").value == pytest.approx(
        wasserstein_distance(reference, production) / np.std(reference), **TOL)
    assert metric(result, "x", "two_sample_kolmogorov_smirnov_test").statistic == pytest.approx(ks.statistic, **TOL)
    assert metric(result, "x", "two_sample_kolmogorov_smirnov_test").value == pytest.approx(ks.pvalue, **TOL)
    assert metric(result, "x", "population_stability_index").value == pytest.approx(
        textbook_psi(reference, production), **TOL)
    return result


def test_numeric_metrics_on_small_vectors_with_ties_equal_scipy():
    reference = np.array([1.5, 2, 2, 3, 7, 7, 7, 10, 4.25, 6, 6, 1])
    production = np.array([2, 3, 3, 4, 8, 8, 11, 12, 7, 7.5, 0.5])
    assert_numeric_metrics_equal_scipy(reference, production)


@pytest.mark.parametrize("kind", ["integers", "floats"])
def test_numeric_metrics_on_large_vectors_equal_scipy_asymptotic_ks(kind):
    rng = np.random.default_rng(20)
    reference = rng.normal(50, 10, 1470)
    # past 10,000 values scipy's KS p-value is asymptotic; one shifts up, the other down
    production = rng.normal(52 if kind == "integers" else 47, 11, 60_000)
    if kind == "integers":
        reference, production = np.round(reference), np.round(production)
    result = assert_numeric_metrics_equal_scipy(reference, production)
    assert feature(result, "x").production_rows == 60_000


def test_psi_with_empty_production_bins_equals_the_textbook():
    reference = np.arange(1.0, 101.0)
    production = np.full(40, 95.0)  # every value in the top decile: nine empty bins
    result = assert_numeric_metrics_equal_scipy(reference, production)
    assert metric(result, "x", "population_stability_index").value > 1


def test_nulls_are_left_out_of_the_drift_metrics():
    reference = [1.0, 2.0, None, 3.0, 4.0, 8.0]
    production = [None, 2.0, 5.0, 6.0, None, 9.0, 9.0]
    result = drift(reference, production)
    ref, prod = np.array([1.0, 2, 3, 4, 8]), np.array([2.0, 5, 6, 9, 9])
    assert metric(result, "x", "normalized_wasserstein_distance").value == pytest.approx(
        wasserstein_distance(ref, prod) / np.std(ref), **TOL)
    assert metric(result, "x", "two_sample_kolmogorov_smirnov_test").value == pytest.approx(
        ks_2samp(ref, prod).pvalue, **TOL)
    assert (feature(result, "x").reference_rows, feature(result, "x").production_rows) == (5, 5)


@pytest.mark.parametrize(("reference", "production"), [
    (["a", "a", "b", "c", "c", "c"], ["a", "b", "b", "d", "d", "c", "a"]),  # 'd' only in production
    (["a", "a", "b", "e", "c", "c"], ["a", "b", "b", "c", "c", "c", "a"]),  # 'e' only in the reference
])
def test_categorical_metrics_equal_scipy_with_a_category_on_one_side_only(reference, production):
    categories = sorted(set(reference) | set(production))
    expected = np.array([reference.count(c) for c in categories])
    actual = np.array([production.count(c) for c in categories])
    result = drift(reference, production)
    chi2 = chi2_contingency(np.array([expected, actual]))
    assert metric(result, "x", "jensen_shannon_distance").value == pytest.approx(
        jensenshannon(expected, actual, base=2), **TOL)
    assert metric(result, "x", "pearsons_chi_squared_test").value == pytest.approx(chi2.pvalue, **TOL)
    assert metric(result, "x", "pearsons_chi_squared_test").statistic == pytest.approx(chi2.statistic, **TOL)
    assert metric(result, "x", "population_stability_index").value == pytest.approx(
        category_psi(expected, actual), **TOL)


def test_an_all_null_side_has_no_drift_value_and_says_why():
    result = drift([1.0, 2.0, 3.0], [None, None])
    wasserstein = metric(result, "x", "normalized_wasserstein_distance")
    assert wasserstein.value is None and wasserstein.passed is None
    assert wasserstein.note == "production has no non-null values"
    assert feature(result, "x").passed is None and result.status == "passed"
    categorical = drift([None, None], ["a", "b"])
    assert metric(categorical, "x", "jensen_shannon_distance").note == "reference has no non-null values"


def test_a_constant_column_compares_without_dividing_by_zero():
    same = drift([5.0] * 10, [5.0] * 30)
    assert metric(same, "x", "normalized_wasserstein_distance").value == 0.0
    assert metric(same, "x", "two_sample_kolmogorov_smirnov_test").value == pytest.approx(1.0, **TOL)
    assert metric(same, "x", "population_stability_index").value == 0.0
    assert feature(same, "x").passed is True
    moved = drift([5.0] * 10, [5.0] * 20 + [7.0] * 10)
    pooled = np.array([5.0] * 30 + [7.0] * 10)
    assert metric(moved, "x", "normalized_wasserstein_distance").value == pytest.approx(
        wasserstein_distance([5.0] * 10, [5.0] * 20 + [7.0] * 10) / np.std(pooled), **TOL)
    assert feature(moved, "x").passed is False
    constant_category = drift(["Y"] * 10, ["Y"] * 25)
    assert metric(constant_category, "x", "jensen_shannon_distance").value == 0.0
    assert metric(constant_category, "x", "pearsons_chi_squared_test").value == 1.0


def test_tests_pass_on_a_p_value_at_or_above_the_threshold_and_distances_at_or_below():
    rng = np.random.default_rng(3)
    same = drift(list(rng.normal(0, 1, 500)), list(rng.normal(0, 1, 500)))
    assert metric(same, "x", "two_sample_kolmogorov_smirnov_test").passed is True
    moved = drift(list(rng.normal(0, 1, 500)), list(rng.normal(1, 1, 500)))
    ks = metric(moved, "x", "two_sample_kolmogorov_smirnov_test")
    assert ks.value < 0.05 and ks.threshold == 0.05 and ks.passed is False
    assert metric(moved, "x", "normalized_wasserstein_distance").passed is False


def test_histograms_count_both_sides_over_the_same_bins():
    result = drift([1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0, 3.0, 4.0])
    histogram = feature(result, "x").histogram
    assert histogram.edges[0] == 1.0 and histogram.edges[-1] == 4.0 and len(histogram.edges) == 5
    assert histogram.reference == [1, 2, 1, 0] and histogram.production == [0, 1, 3, 1]
    categories = feature(drift(["a", "b", "b"], ["b", "c"]), "x").histogram
    assert categories.categories == ["b", "a", "c"]
    assert (categories.reference, categories.production) == ([2, 1, 0], [1, 0, 1])


def test_integers_far_apart_compare_like_scipy():
    reference = np.array([-2**62, 0, 5, 2**62], dtype=np.int64)
    production = np.array([-2**62, 7, 7, 2**61], dtype=np.int64)
    result = drift(list(reference), list(production))
    assert metric(result, "x", "two_sample_kolmogorov_smirnov_test").value == pytest.approx(
        ks_2samp(reference, production).pvalue, **TOL)
    assert metric(result, "x", "normalized_wasserstein_distance").value == pytest.approx(
        wasserstein_distance(reference, production) / np.std(reference.astype(float)), **TOL)
