"""Histograms of both sides over the same bins, for charts of reference vs production."""

from __future__ import annotations

import numpy as np

from modelyard.monitor._columns import CategoricalColumn
from modelyard.monitor._metrics import NumericValues
from modelyard.spec.monitor import Histogram

MAX_BINS = 20
MAX_CATEGORIES = 50
OTHER = "(other)"


def numeric_histogram(reference: NumericValues, production: NumericValues) -> Histogram:
    """Equal-width bins over the range of both sides; one bin per value when there are few distinct values."""
    values = np.union1d(reference.values, production.values)
    if len(values) == 0:
        return Histogram(edges=[], reference=[], production=[])
    low, high = float(values[0]), float(values[-1])
    if low == high:
        edges = np.array([low - 0.5, high + 0.5])
    else:
        edges = np.linspace(low, high, min(MAX_BINS, len(values)) + 1)
    return Histogram(edges=edges.tolist(), reference=_counts(reference, edges), production=_counts(production, edges))


def _counts(sample: NumericValues, edges: np.ndarray) -> list[int]:
    counts, _ = np.histogram(sample.values, bins=edges, weights=sample.counts)
    return counts.astype(np.int64).tolist()


def aligned_counts(reference: CategoricalColumn, production: CategoricalColumn) -> tuple[list, np.ndarray, np.ndarray]:
    """The categories of either side (most frequent first) and each side's counts over them."""
    categories = sorted(set(reference.counts) | set(production.counts),
                        key=lambda c: (-(reference.counts.get(c, 0) + production.counts.get(c, 0)), str(c)))
    return (categories,
            np.array([reference.counts.get(c, 0) for c in categories], dtype=np.int64),
            np.array([production.counts.get(c, 0) for c in categories], dtype=np.int64))


def categorical_histogram(categories: list, reference: np.ndarray, production: np.ndarray) -> Histogram:
    """At most ``MAX_CATEGORIES`` bars; the rarer categories add up in one ``(other)`` bar."""
    names = [str(c) for c in categories[:MAX_CATEGORIES]]
    ref, prod = reference[:MAX_CATEGORIES].tolist(), production[:MAX_CATEGORIES].tolist()
    if len(categories) > MAX_CATEGORIES:
        names.append(OTHER)
        ref.append(int(reference[MAX_CATEGORIES:].sum()))
        prod.append(int(production[MAX_CATEGORIES:].sum()))
    return Histogram(categories=names, reference=ref, production=prod)
