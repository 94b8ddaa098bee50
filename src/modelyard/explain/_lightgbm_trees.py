"""A LightGBM booster's trees as flat arrays that ``_linear_tree_shap`` walks, read from ``dump_model()``.

Every tree's nodes are stored in pre-order (a parent before its children), with what Linear TreeSHAP needs
besides the split itself: for each node below a root, the share of the parent's training rows that
reached it (LightGBM's own cover, ``internal_count`` / ``leaf_count``), merged over the earlier splits on
the same feature along the path, and which of those earlier splits it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NUMERICAL, CATEGORICAL = 0, 1
MISSING = {"None": 0, "Zero": 1, "NaN": 2}


@dataclass
class LightGBMTrees:
    n_features: int
    n_outputs: int
    base: np.ndarray           # (outputs,) LightGBM's expected value: the cover-weighted mean of the leaves
    tree_start: np.ndarray     # (trees + 1,) where each tree's nodes start; a tree's root comes first
    tree_output: np.ndarray    # (trees,) the output (class) each tree adds to
    tree_points: np.ndarray    # (trees,) quadrature points that integrate that tree's polynomials exactly
    feature: np.ndarray        # (nodes,) the split feature; -1 for a leaf
    threshold: np.ndarray
    decision: np.ndarray       # NUMERICAL or CATEGORICAL
    missing: np.ndarray        # MISSING's codes
    default_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    category_start: np.ndarray  # (nodes + 1,) each categorical split's words in category_bits
    category_bits: np.ndarray   # uint32 bitsets of the categories that go left, as LightGBM's FindInBitset
    value: np.ndarray           # a leaf's value
    parent: np.ndarray          # -1 for a root
    zero: np.ndarray            # the merged cover fraction of the parent's feature down to this node
    previous: np.ndarray        # the nearest node above whose parent split on the same feature, else -1


class NotApplicable(Exception):
    """The booster's trees are outside what Linear TreeSHAP computes here (the message says why)."""


def _category_words(threshold: str) -> list[int]:
    categories = [int(c) for c in str(threshold).split("||")]
    words = [0] * (max(categories) // 32 + 1)
    for c in categories:
        words[c // 32] |= 1 << (c % 32)
    return words


class _Builder:
    def __init__(self) -> None:
        self.columns: dict[str, list] = {name: [] for name in (
            "feature", "threshold", "decision", "missing", "default_left", "left", "right", "value", "parent",
            "zero", "previous")}
        self.category_start = [0]
        self.category_bits: list[int] = []

    def add_tree(self, root: dict) -> tuple[float, int]:
        """Append one tree's nodes; its expected value and the most distinct features on one of its paths."""
        total = float(root.get("internal_count", 0))
        expected, widest = 0.0, 0
        # (node, parent index, cover fraction of the parent, nearest same-feature edge above per feature)
        stack = [(root, -1, 1.0, {})]
        while stack:
            node, parent, fraction, edges = stack.pop()
            index = len(self.columns["feature"])
            c = self.columns
            previous = -1
            zero = 1.0
            if parent >= 0:
                split_feature = c["feature"][parent]
                previous = edges.get(split_feature, -1)
                zero = fraction * (c["zero"][previous] if previous >= 0 else 1.0)
                edges = {**edges, split_feature: index}
                if c["left"][parent] < 0:
                    c["left"][parent] = index
                else:
                    c["right"][parent] = index
            c["parent"].append(parent)
            c["zero"].append(zero)
            c["previous"].append(previous)
            c["left"].append(-1)
            c["right"].append(-1)
            if "leaf_value" in node:
                if "leaf_const" in node:
                    raise NotApplicable("linear trees (linear_tree=true) have a linear model in each leaf")
                c["feature"].append(-1)
                for name in ("threshold", "decision", "missing", "default_left"):
                    c[name].append(0)
                c["value"].append(float(node["leaf_value"]))
                self.category_start.append(len(self.category_bits))
                # LightGBM's ExpectedValue: a one-leaf tree's is its leaf
                expected += node["leaf_count"] / total * node["leaf_value"] if parent >= 0 else node["leaf_value"]
                widest = max(widest, len(edges))
                continue
            count = float(node["internal_count"])
            children = [node["left_child"], node["right_child"]]
            if count <= 0 or any(_count(child) <= 0 for child in children):
                raise NotApplicable("a split that no training row reached has no cover to weigh its branches by")
            feature = int(node["split_feature"])
            c["feature"].append(feature)
            c["value"].append(0.0)
            c["default_left"].append(bool(node["default_left"]))
            c["missing"].append(MISSING[node["missing_type"]])
            if node["decision_type"] == "==":
                c["decision"].append(CATEGORICAL)
                c["threshold"].append(0.0)
                self.category_bits.extend(_category_words(node["threshold"]))
            else:
                c["decision"].append(NUMERICAL)
                c["threshold"].append(float(node["threshold"]))
            self.category_start.append(len(self.category_bits))
            # right pushed first so that the left child comes next: pre-order, left before right
            for child in reversed(children):
                stack.append((child, index, _count(child) / count, edges))
        return expected, widest


def _count(node: dict) -> float:
    return float(node["internal_count"] if "internal_count" in node else node["leaf_count"])


def lightgbm_trees(booster) -> LightGBMTrees:
    """The booster's trees (those ``predict`` uses: up to the best iteration when there is one).

    Raises NotApplicable for boosters whose contributions this module does not compute (LightGBM's own
    ``pred_contrib`` remains for those)."""
    dump = booster.dump_model()
    if dump.get("average_output"):
        raise NotApplicable("random-forest boosting averages its trees")
    outputs = int(dump["num_tree_per_iteration"])
    builder = _Builder()
    starts, tree_outputs, points = [], [], []
    base = np.zeros(outputs)
    for position, tree in enumerate(dump["tree_info"]):
        starts.append(len(builder.columns["feature"]))
        expected, widest = builder.add_tree(tree["tree_structure"])
        base[position % outputs] += expected
        tree_outputs.append(position % outputs)
        # the polynomials of a tree have degree (distinct features on a path) - 1: n points integrate them
        points.append(max(1, (widest + 1) // 2))
    starts.append(len(builder.columns["feature"]))
    c = builder.columns
    return LightGBMTrees(
        n_features=int(dump["max_feature_idx"]) + 1, n_outputs=outputs, base=base,
        tree_start=np.asarray(starts, dtype=np.int64), tree_output=np.asarray(tree_outputs, dtype=np.int64),
        tree_points=np.asarray(points, dtype=np.int64),
        feature=np.asarray(c["feature"], dtype=np.int64), threshold=np.asarray(c["threshold"], dtype=np.float64),
        decision=np.asarray(c["decision"], dtype=np.int8), missing=np.asarray(c["missing"], dtype=np.int8),
        default_left=np.asarray(c["default_left"], dtype=np.bool_),
        left=np.asarray(c["left"], dtype=np.int64), right=np.asarray(c["right"], dtype=np.int64),
        category_start=np.asarray(builder.category_start, dtype=np.int64),
        category_bits=np.asarray(builder.category_bits, dtype=np.uint32),
        value=np.asarray(c["value"], dtype=np.float64), parent=np.asarray(c["parent"], dtype=np.int64),
        zero=np.asarray(c["zero"], dtype=np.float64), previous=np.asarray(c["previous"], dtype=np.int64),
    )
