"""The numpy permutation estimate: exact Shapley values where one antithetic permutation gives them, additive
everywhere, seeded."""

from __future__ import annotations

import itertools
import math

import numpy as np

from modelyard.explain._permutation import permutation_values


def exact_shapley(function, x, background):
    """Interventional Shapley values by enumerating every coalition (the background averages the rest)."""
    n = len(x)

    def value(coalition):
        rows = background.copy()
        rows[:, list(coalition)] = x[list(coalition)]
        return function(rows).mean()

    phi = np.zeros(n)
    for j in range(n):
        others = [k for k in range(n) if k != j]
        for size in range(n):
            for coalition in itertools.combinations(others, size):
                weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                phi[j] += weight * (value(coalition + (j,)) - value(coalition))
    return phi


def test_two_features_with_an_interaction_get_their_exact_shapley_values():
    rng = np.random.default_rng(0)
    background, X = rng.normal(size=(25, 2)), rng.normal(size=(5, 2))
    function = lambda rows: np.tanh(rows[:, 0] * rows[:, 1]) + rows[:, 0] ** 2   # noqa: E731
    values, base = permutation_values(function, X, background, seed=3)
    assert values.shape == (5, 2, 1) and np.isclose(base[0], function(background).mean())
    for x, row in zip(X, values):
        np.testing.assert_allclose(row[:, 0], exact_shapley(function, x, background), rtol=0, atol=1e-12)


def test_a_linear_function_gets_coefficient_times_distance_from_the_background_mean():
    rng = np.random.default_rng(1)
    background, X, w = rng.normal(size=(20, 7)), rng.normal(size=(4, 7)), rng.normal(size=7)
    values, _ = permutation_values(lambda rows: rows @ w, X, background, seed=0)
    np.testing.assert_allclose(values[:, :, 0], (X - background.mean(axis=0)) * w, rtol=0, atol=1e-12)


def test_values_add_up_to_each_output_and_repeat_with_the_seed():
    rng = np.random.default_rng(2)
    background, X = rng.normal(size=(15, 6)), rng.normal(size=(3, 6))
    X[:, 4] = background[:, 4] = 9.0   # a feature no background row differs on stays out of the permutations

    def function(rows):   # two outputs, as a three-class model's probabilities minus one
        a = np.exp(rows[:, 0] * rows[:, 1] + rows[:, 2])
        b = np.exp(rows[:, 3] - rows[:, 5] ** 2)
        return np.stack([a / (1 + a + b), b / (1 + a + b)], axis=1)

    values, base = permutation_values(function, X, background, seed=5)
    np.testing.assert_allclose(base + values.sum(axis=1), function(X), rtol=0, atol=1e-12)
    assert np.all(values[:, 4, :] == 0)
    again, _ = permutation_values(function, X, background, seed=5)
    other, _ = permutation_values(function, X, background, seed=6)
    assert np.array_equal(values, again) and not np.array_equal(values, other)
