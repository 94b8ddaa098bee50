"""Poisson Regression with Azure's objective: the Poisson negative log-likelihood summed over rows,
plus ``L1 * |w|_1 + L2 / 2 * |w|^2`` (the intercept is not penalized), minimised by L-BFGS-B with
the weights split into positive and negative parts (the standard bound-constrained form of L1)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from modelyard.errors import InvalidInput

from modelyard.designer._learners import LINEAR, LINEAR_TUNABLE, learner


class PoissonElasticNet(RegressorMixin, BaseEstimator):
    def __init__(self, l1: float = 1.0, l2: float = 1.0, tol: float = 1e-7, memory: int = 20):
        self.l1 = l1
        self.l2 = l2
        self.tol = tol
        self.memory = memory

    def _objective(self, theta, X, y):
        n = X.shape[1]
        positive, negative, intercept = theta[:n], theta[n:2 * n], theta[-1]
        w = positive - negative
        eta = np.clip(X @ w + intercept, -50, 50)
        mu = np.exp(eta)
        loss = mu.sum() - y @ eta + self.l1 * (positive.sum() + negative.sum()) + self.l2 / 2 * w @ w
        residual = mu - y
        grad_w = X.T @ residual + self.l2 * w
        return loss, np.concatenate([grad_w + self.l1, -grad_w + self.l1, [residual.sum()]])

    def fit(self, X, y):
        from scipy.optimize import minimize

        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        if (y < 0).any():
            raise InvalidInput("Poisson Regression predicts counts, but the label has negative values; pick a "
                               "non-negative label")
        n = X.shape[1]
        start = np.zeros(2 * n + 1)
        start[-1] = np.log(max(y.mean(), 1e-12))
        bounds = [(0, None)] * (2 * n) + [(None, None)]
        found = minimize(self._objective, start, args=(X, y), jac=True, method="L-BFGS-B", bounds=bounds,
                         options={"maxcor": self.memory, "ftol": self.tol, "gtol": 1e-9, "maxiter": 10000})
        self.coef_ = found.x[:n] - found.x[n:2 * n]
        self.intercept_ = float(found.x[-1])
        return self

    def predict(self, X):
        return np.exp(np.clip(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_, -50, 50))


def poisson(params: dict[str, Any]) -> PoissonElasticNet:
    return PoissonElasticNet(params["l1_regularization_weight"], params["l2_regularization_weight"],
                             params["optimization_tolerance"], params["memory_size_for_l_bfgs"])


learner("poisson_regression", "Poisson Regression", "regression", poisson,
        "Predicts counts: a log-linear model fitted by maximum likelihood with L1 and L2 regularization.",
        [p for p in LINEAR if p.name != "random_number_seed"], LINEAR_TUNABLE, scaler="maxabs")
