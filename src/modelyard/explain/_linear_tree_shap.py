"""Linear TreeSHAP (Yu et al., 2022): a LightGBM booster's exact path-dependent SHAP values, O(nodes) a tree.

For a leaf of value v whose path splits on the distinct features j, each with the merged cover fraction
z_j (the share of training rows that followed the path's splits on j) and o_j (1 when the row follows all
of them, else 0), feature i's SHAP value from that leaf is

    v (o_i - z_i) * integral over t in [0, 1] of  prod_{j != i} (z_j + (o_j - z_j) t),

because the Shapley weights s! (d-s-1)! / d! are Beta integrals. The integrand is a polynomial of degree
below d, the number of distinct features on the path, so Gauss-Legendre quadrature with ceil(d / 2) points
is exact. A pass down a tree keeps each node's path product at those points; a pass up sums the leaves'
products, and each node adds to its parent's feature the share of the leaves below it for which it is the
last split on that feature (the leaves of deeper splits on the same feature are taken out). Every node
costs O(points), against O(depth^2) a leaf for the TreeSHAP of LightGBM's ``pred_contrib``; the values
are the same (path-dependent, cover-weighted, LightGBM's own missing-value and categorical decisions).

As o is 0 or 1, each edge's factor z + (o - z) t takes one of two values per point, computed once with
their inverses; rows go through a tree in blocks, so the innermost loops run over rows (SIMD) with no
division.
"""

from __future__ import annotations

import numba
import numpy as np

from modelyard.explain._lightgbm_trees import CATEGORICAL, MISSING, lightgbm_trees

ZERO_THRESHOLD = float(np.float32(1e-35))   # LightGBM's kZeroThreshold: smaller inputs are read as 0
MISSING_ZERO, MISSING_NAN = MISSING["Zero"], MISSING["NaN"]
BLOCK = 16   # rows that go through a tree together


@numba.njit(cache=True)
def _goes_left(value, node, decision, missing, default_left, threshold, category_start, category_bits):
    """LightGBM's Tree::Decision for a raw feature value."""
    if decision[node] == CATEGORICAL:
        if np.isnan(value):
            return False
        category = int(value)
        if category < 0:
            return False
        word = category >> 5
        start = category_start[node]
        if word >= category_start[node + 1] - start:
            return False
        return (category_bits[start + word] >> np.uint32(category & 31)) & np.uint32(1) == 1
    if np.isnan(value) and missing[node] != MISSING_NAN:
        value = 0.0
    if (missing[node] == MISSING_ZERO and -ZERO_THRESHOLD <= value <= ZERO_THRESHOLD) or \
            (missing[node] == MISSING_NAN and np.isnan(value)):
        return default_left[node]
    return value <= threshold[node]


@numba.njit(cache=True)
def _add_tree(x, rows, out, offset, start, end, n_points, factor_one, factor_zero, weighted_one, weighted_zero,
              feature, threshold, decision, missing, default_left, left, right, category_start, category_bits,
              value, parent, zero, previous, goes_left, one, product, removed):
    """Add one tree's contributions for the block's rows ``x[:rows]`` to ``out[:rows, offset + feature]``.

    Scratch, indexed by node - start: ``one`` (o of the node's edge, per row), ``product`` (the path product
    going down, then the sum of the leaves' below going up) and ``removed`` (the sum of the leaves whose
    last split on the edge's feature is deeper), at each point for each row.
    """
    for k in range(n_points):
        for r in range(rows):
            product[0, k, r] = 1.0
    for node in range(start, end):
        if feature[node] < 0:
            continue
        for r in range(rows):
            goes_left[r] = _goes_left(x[r, feature[node]], node, decision, missing, default_left, threshold,
                                      category_start, category_bits)
        above = node - start
        for child in (left[node], right[node]):
            here, earlier, is_left = child - start, previous[child], child == left[node]
            for r in range(rows):
                one[here, r] = goes_left[r] == is_left and (earlier < 0 or one[earlier - start, r])
            for k in range(n_points):
                a_one, a_zero = factor_one[child, k], factor_zero[child, k]
                if earlier >= 0:   # the earlier split on this feature is merged into this edge's factor
                    b_one, b_zero = 1.0 / factor_one[earlier, k], 1.0 / factor_zero[earlier, k]
                    for r in range(rows):
                        product[here, k, r] = product[above, k, r] * (a_one if one[here, r] else a_zero) * \
                            (b_one if one[earlier - start, r] else b_zero)
                else:
                    for r in range(rows):
                        product[here, k, r] = product[above, k, r] * (a_one if one[here, r] else a_zero)
                for r in range(rows):
                    removed[here, k, r] = 0.0
    for node in range(end - 1, start, -1):
        here = node - start
        if feature[node] < 0:
            for k in range(n_points):
                for r in range(rows):
                    product[here, k, r] *= value[node]
        else:
            l, rr, replaced = left[node] - start, right[node] - start, previous[left[node]]
            for k in range(n_points):
                for r in range(rows):
                    product[here, k, r] = product[l, k, r] + product[rr, k, r]
                if replaced >= 0:
                    for r in range(rows):
                        removed[replaced - start, k, r] += product[here, k, r]
        column = offset + feature[parent[node]]
        for r in range(rows):
            total = 0.0
            for k in range(n_points):
                share = product[here, k, r] - removed[here, k, r]
                total += share * (weighted_one[node, k] if one[here, r] else weighted_zero[node, k])
            out[r, column] += ((1.0 if one[here, r] else 0.0) - zero[node]) * total


def _rows(X, out, base, tree_start, tree_output, tree_points, factor_one, factor_zero, weighted_one,
          weighted_zero, feature, threshold, decision, missing, default_left, left, right, category_start,
          category_bits, value, parent, zero, previous):
    n, n_features = X.shape
    widest = 1
    for t in range(tree_start.shape[0] - 1):
        widest = max(widest, tree_start[t + 1] - tree_start[t])
    max_points = factor_one.shape[1]
    for block in numba.prange((n + BLOCK - 1) // BLOCK):
        first = block * BLOCK
        rows = min(n, first + BLOCK) - first
        goes_left = np.empty(BLOCK, dtype=np.bool_)
        one = np.empty((widest, BLOCK), dtype=np.bool_)
        product = np.empty((widest, max_points, BLOCK))
        removed = np.empty((widest, max_points, BLOCK))
        x = np.empty((BLOCK, n_features))
        for r in range(rows):
            for j in range(n_features):
                x[r, j] = 0.0 if abs(X[first + r, j]) <= ZERO_THRESHOLD else X[first + r, j]
            for k in range(base.shape[0]):
                out[first + r, k * (n_features + 1) + n_features] = base[k]
        block_out = out[first:first + rows]
        for t in range(tree_start.shape[0] - 1):
            _add_tree(x, rows, block_out, tree_output[t] * (n_features + 1), tree_start[t], tree_start[t + 1],
                      tree_points[t], factor_one, factor_zero, weighted_one, weighted_zero, feature, threshold,
                      decision, missing, default_left, left, right, category_start, category_bits, value, parent,
                      zero, previous, goes_left, one, product, removed)


_rows_parallel = numba.njit(cache=True, parallel=True)(_rows)
_rows_serial = numba.njit(cache=True)(_rows)


def _gauss_legendre(count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points and weights on [0, 1] (the weights sum to 1)."""
    points, weights = np.polynomial.legendre.leggauss(count)
    return (points + 1) / 2, weights / 2


class LinearTreeShap:
    """A LightGBM booster prepared once for Linear TreeSHAP; raises NotApplicable (saying why) for boosters
    it does not compute (linear trees, random-forest averaging, splits no training row reached)."""

    def __init__(self, booster) -> None:
        trees = lightgbm_trees(booster)
        nodes, most = len(trees.feature), int(trees.tree_points.max(initial=1))
        # each edge's factor z + (o - z) t at its tree's points, for o = 1 and o = 0, and w / factor
        self.factor_one, self.factor_zero = np.ones((nodes, most)), np.ones((nodes, most))
        self.weighted_one, self.weighted_zero = np.zeros((nodes, most)), np.zeros((nodes, most))
        for t, count in enumerate(trees.tree_points):
            points, weights = _gauss_legendre(int(count))
            z = trees.zero[trees.tree_start[t]:trees.tree_start[t + 1], None]
            nodes_of_tree = slice(trees.tree_start[t], trees.tree_start[t + 1])
            self.factor_one[nodes_of_tree, :count] = z + (1 - z) * points
            self.factor_zero[nodes_of_tree, :count] = z * (1 - points)
            self.weighted_one[nodes_of_tree, :count] = weights / self.factor_one[nodes_of_tree, :count]
            self.weighted_zero[nodes_of_tree, :count] = weights / self.factor_zero[nodes_of_tree, :count]
        self.trees = trees

    def contributions(self, X: np.ndarray, parallel: bool = True) -> np.ndarray:
        """Laid out as LightGBM's ``pred_contrib``: (rows, outputs * (features + 1)), each output's block
        ending with its expected value. ``parallel``: blocks of rows spread over all cores."""
        trees = self.trees
        X = np.ascontiguousarray(X, dtype=np.float64)
        out = np.zeros((X.shape[0], trees.n_outputs * (trees.n_features + 1)))
        kernel = _rows_parallel if parallel else _rows_serial
        kernel(X, out, trees.base, trees.tree_start, trees.tree_output, trees.tree_points, self.factor_one,
               self.factor_zero, self.weighted_one, self.weighted_zero, trees.feature, trees.threshold,
               trees.decision, trees.missing, trees.default_left, trees.left, trees.right, trees.category_start,
               trees.category_bits, trees.value, trees.parent, trees.zero, trees.previous)
        return out
