"""Drift metrics over compressed columns: each side is its distinct values and how often each occurs.

Working on (value, count) pairs instead of raw rows keeps a million production rows cheap (a column has
at most as many pairs as distinct values) and changes no result: every metric below is a function of
the two empirical distributions, which the pairs hold exactly.

- normalized Wasserstein distance: scipy's ``wasserstein_distance`` (the first Wasserstein distance, the
  area between the two empirical CDFs) divided by the reference's standard deviation (population, ddof=0),
  so it reads "how many reference standard deviations the mass moved", comparable across features (the
  normalisation Evidently uses for its normed Wasserstein). A constant reference divides by the pooled
  standard deviation of both sides instead; if that is 0 too, both sides hold the same one value: 0.
- two-sample Kolmogorov-Smirnov: scipy's ``ks_2samp`` (two-sided, method ``auto``): exact p-values when
  both sides have at most 10,000 values, else the asymptotic ``kstwo`` distribution, as scipy does.
- population stability index, the textbook one: sum over bins of (p - q) * ln(p / q) with p, q the
  production and reference proportions, an empty bin's proportion taken as ``PSI_EMPTY_BIN`` (1e-4).
  Numerical bins are the reference's deciles (inverted-CDF quantiles, repeated edges merged), open at
  both ends, right-closed; categorical bins are the categories of either side.
- Jensen-Shannon distance: scipy's ``jensenshannon`` over the category proportions, base 2 (0 to 1).
- Pearson's chi-squared test: scipy's ``chi2_contingency`` on the 2 x k table of category counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PSI_EMPTY_BIN = 1e-4
PSI_QUANTILES = np.linspace(0.1, 0.9, 9)
KS_EXACT_MAX_N = 10_000  # scipy's MAX_AUTO_N


@dataclass(frozen=True)
class NumericValues:
    """A numerical column's valid values: sorted distinct ``values`` and their ``counts``."""

    values: np.ndarray
    counts: np.ndarray

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def std(self) -> float:
        mean = np.dot(self.values, self.counts) / self.n
        return float(np.sqrt(np.dot((self.values - mean) ** 2, self.counts) / self.n))

    def raw(self) -> np.ndarray:
        return np.repeat(self.values, self.counts)


def pooled(left: NumericValues, right: NumericValues) -> NumericValues:
    values, inverse = np.unique(np.concatenate([left.values, right.values]), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([left.counts, right.counts]), minlength=len(values))
    return NumericValues(values, counts.astype(np.int64))


def normalized_wasserstein_distance(reference: NumericValues, production: NumericValues) -> float:
    from scipy.stats import wasserstein_distance

    distance = wasserstein_distance(reference.values, production.values, reference.counts, production.counts)
    scale = reference.std() or pooled(reference, production).std()
    return float(distance / scale) if scale else 0.0


def _cdf_at(sample: NumericValues, points: np.ndarray) -> np.ndarray:
    """The right-continuous empirical CDF of ``sample`` at ``points``."""
    cumulative = np.concatenate([[0], np.cumsum(sample.counts)])
    return cumulative[np.searchsorted(sample.values, points, side="right")] / sample.n


def ks_statistic(reference: NumericValues, production: NumericValues) -> float:
    """sup |F_ref - F_prod|: both step functions only move at data points, so the largest gap is at one."""
    points = np.union1d(reference.values, production.values)
    gaps = _cdf_at(reference, points) - _cdf_at(production, points)
    return float(max(gaps.max(), np.clip(-gaps.min(), 0, 1)))


def two_sample_ks_test(reference: NumericValues, production: NumericValues) -> tuple[float, float]:
    """(statistic, p-value), as ``scipy.stats.ks_2samp(reference, production)`` gives them."""
    from scipy import stats

    n1, n2 = reference.n, production.n
    if max(n1, n2) <= KS_EXACT_MAX_N:
        result = stats.ks_2samp(reference.raw(), production.raw())
        return float(result.statistic), float(result.pvalue)
    statistic = ks_statistic(reference, production)
    m, n = sorted([float(n1), float(n2)], reverse=True)
    p_value = stats.kstwo.sf(statistic, np.round(m * n / (m + n)))
    return statistic, float(np.clip(p_value, 0, 1))


def population_stability_index(reference_counts: np.ndarray, production_counts: np.ndarray) -> float:
    """Textbook PSI of two count vectors over the same bins."""
    reference = np.asarray(reference_counts, dtype=float)
    production = np.asarray(production_counts, dtype=float)
    expected = np.where(reference > 0, reference / reference.sum(), PSI_EMPTY_BIN)
    actual = np.where(production > 0, production / production.sum(), PSI_EMPTY_BIN)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def psi_edges(reference: NumericValues) -> np.ndarray:
    """Inner bin edges: the reference's deciles, repeated ones merged."""
    cumulative = np.cumsum(reference.counts)
    positions = np.searchsorted(cumulative, PSI_QUANTILES * reference.n, side="left")
    return np.unique(reference.values[np.minimum(positions, len(reference.values) - 1)])


def bin_counts(sample: NumericValues, edges: np.ndarray) -> np.ndarray:
    """Counts in (-inf, e0], (e0, e1], ..., (e_last, inf)."""
    bins = np.searchsorted(edges, sample.values, side="left")
    return np.bincount(bins, weights=sample.counts, minlength=len(edges) + 1).astype(np.int64)


def numeric_psi(reference: NumericValues, production: NumericValues) -> float:
    edges = psi_edges(reference)
    return population_stability_index(bin_counts(reference, edges), bin_counts(production, edges))


def jensen_shannon_distance(reference_counts: np.ndarray, production_counts: np.ndarray) -> float:
    from scipy.spatial.distance import jensenshannon

    return float(jensenshannon(np.asarray(reference_counts, float), np.asarray(production_counts, float), base=2))


def chi_squared_test(reference_counts: np.ndarray, production_counts: np.ndarray) -> tuple[float, float]:
    """(statistic, p-value) of Pearson's test of independence on the 2 x k table."""
    from scipy.stats import chi2_contingency

    result = chi2_contingency(np.array([reference_counts, production_counts]))
    return float(result.statistic), float(result.pvalue)
