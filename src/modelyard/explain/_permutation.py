"""Permutation SHAP values in numpy: shap's ``PermutationExplainer`` with an ``Independent`` masker.

The same estimate (antithetic permutations: each feature of a random order switched from the background to
the row's value, then back, in the same order; the model's output averaged over the background rows) with
the same number of model evaluations, but without shap's numba-compiled masking, which a fresh process
compiles for about ten seconds before its first row. Exactly additive: the values of a row sum to its output
minus the base value, the mean output over the background.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def permutation_values(function: Callable[[np.ndarray], np.ndarray], X: np.ndarray, background: np.ndarray,
                       seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(values of shape (rows, features, outputs), base of shape (outputs,)) for ``function`` (rows -> outputs)."""
    rng = np.random.default_rng(seed)
    n_background, n_features = background.shape
    base = np.asarray(function(background), dtype=float).reshape(n_background, -1).mean(axis=0)
    values = np.zeros((len(X), n_features, len(base)))
    for r, x in enumerate(X):
        varying = np.flatnonzero((background != x).any(axis=0))   # the others' values are all 0
        m = len(varying)
        if m == 0:
            continue
        states = 2 * m + 1
        n_permutations = max(1, 2 * (2 * n_features + 1) // states)   # shap's count for max_evals 2 (2F + 1)
        for _ in range(n_permutations):
            order = rng.permutation(varying)
            rank = np.full(n_features, -1)
            rank[order] = np.arange(m)
            step = np.arange(states)[:, None]
            # state k <= m: the first k features of the order are the row's; state m + k: all but the first k
            on = np.where(step <= m, (rank >= 0) & (rank < step), rank >= step - m)
            batch = np.where(on[:, None, :], x[None, None, :], background[None, :, :]).reshape(-1, n_features)
            out = np.asarray(function(batch), dtype=float).reshape(states, n_background, -1).mean(axis=1)
            values[r, order] += (out[1:m + 1] - out[:m]) + (out[m:2 * m] - out[m + 1:])
        values[r] /= 2 * n_permutations
    return values, base
