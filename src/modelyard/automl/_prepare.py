"""Checking the input tables, encoding the target, choosing the validation scheme, featurizing once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from modelyard._json import plain
from modelyard.automl import _featurize, _guardrails
from modelyard.automl._work import fold_of_rows, partitions, validation_rows
from modelyard.errors import InvalidInput

MIN_ROWS = 10
CV_ROWS = 20000           # up to this many rows the default validation is k-fold cross-validation
# up to this many rows it is repeated with other folds: one partition of a small table is noisy enough that
# hundreds of trials find configurations that fit its folds rather than the data
REPEATED_CV_ROWS = 1000
CV_REPEATS = 3
HOLDOUT_SHARE = 0.1
HOLDOUT_MAX_ROWS = 20000


@dataclass
class Prepared:
    task: str
    metric: str
    features: pd.DataFrame                # raw feature columns of the training rows
    y: np.ndarray                         # class indices or floats, training rows then validation rows
    w: np.ndarray | None
    X: np.ndarray                         # featurized, same rows as y
    folds: list[tuple[np.ndarray, np.ndarray]]
    refit_rows: np.ndarray
    groups: np.ndarray                    # per out-of-fold row: which group ensembles hold out
    classes: list[Any] | None
    y_range: float | None
    featurizer: Any
    plans: list
    summary: list[dict[str, Any]]
    guardrails: list[dict[str, Any]] = field(default_factory=list)
    validation: str = ""

    @property
    def oof_rows(self) -> np.ndarray:
        """The validation rows, once per partition of repeated cross-validation (a trial's out-of-fold
        predictions come in this order, ``_work.validation_rows``)."""
        return validation_rows(self.folds)


def _label_key(value: Any) -> str:
    return str(value.item() if hasattr(value, "item") else value)


def _target(job, frame: pd.DataFrame, where: str) -> pd.Series:
    target = job.target_column_name
    if target not in frame.columns:
        raise InvalidInput(f"target column {target!r} is not in the {where}; its columns are: "
                           f"{', '.join(map(str, frame.columns[:30]))}{' ...' if len(frame.columns) > 30 else ''}")
    return frame[target]


def _numpy_labels(values: pd.Series) -> pd.Series:
    """Known target values in a numpy dtype: category as its categories' dtype, nullable Int64/boolean/string
    as int64/bool/object, so labels compare, sort and pickle like the user's values."""
    values = values.dropna()
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(values.cat.categories.dtype)
    if pd.api.types.is_extension_array_dtype(values.dtype):
        values = values.astype(getattr(values.dtype, "numpy_dtype", None) or object)
    return values


def _numeric_target(values: pd.Series, target: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values[numbers.isna() & values.notna()]
    if len(bad):
        examples = ", ".join(repr(v) for v in bad.astype(str).unique()[:3])
        raise InvalidInput(f"regression needs a numeric target, but column {target!r} holds {examples} "
                           f"({len(bad)} non-numeric value(s)); use task: classification or clean the column")
    return numbers.astype(float)


def _weights(job, frame: pd.DataFrame, where: str) -> np.ndarray | None:
    name = job.weight_column_name
    if not name:
        return None
    if name not in frame.columns:
        raise InvalidInput(f"weight column {name!r} is not in the {where}")
    values = pd.to_numeric(frame[name], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise InvalidInput(f"weight column {name!r} must hold non-negative numbers with no missing values")
    return values.to_numpy(dtype=float)


def _folds(job, y: np.ndarray, n_train: int, n_valid: int, task: str, seed: int):
    from sklearn.model_selection import (KFold, RepeatedKFold, RepeatedStratifiedKFold, ShuffleSplit,
                                         StratifiedKFold, StratifiedShuffleSplit)

    rows = np.arange(n_train)
    repeats = 1
    stratify = task == "classification"
    if n_valid:
        return [(rows, np.arange(n_train, n_train + n_valid))], rows, f"validation_data ({n_valid} rows)"
    if job.n_cross_validations:
        k = job.n_cross_validations
        if n_train < k:
            raise InvalidInput(f"the training data has {n_train} rows, fewer than n_cross_validations={k}; "
                               "lower n_cross_validations or add rows")
        how = f"{k}-fold cross-validation"
    elif job.validation_data_size:
        share = job.validation_data_size
        k = None
        how = f"a {share:.0%} hold-out split of the training data"
    elif n_train <= CV_ROWS:
        k = 5 if n_train <= 10000 else 3
        repeats = CV_REPEATS if n_train <= REPEATED_CV_ROWS else 1
        how = (f"{k}-fold cross-validation{f' repeated {repeats} times' if repeats > 1 else ''} "
               f"(the default for {n_train} rows)")
    else:
        share = min(HOLDOUT_SHARE, HOLDOUT_MAX_ROWS / n_train)
        k = None
        how = f"a {share:.1%} hold-out split (the default for {n_train} rows)"
    min_class = int(np.bincount(y[:n_train].astype(int)).min()) if stratify else 0
    if k:
        stratified = stratify and min_class >= k
        if repeats > 1:
            splitter = (RepeatedStratifiedKFold if stratified else RepeatedKFold)(
                n_splits=k, n_repeats=repeats, random_state=seed)
        else:
            splitter = (StratifiedKFold if stratified else KFold)(k, shuffle=True, random_state=seed)
        folds = [(np.sort(tr), np.sort(va)) for tr, va in splitter.split(rows, y[:n_train])]
    else:
        n_valid_rows = max(int(round(share * n_train)), 2)
        splitter = StratifiedShuffleSplit(1, test_size=n_valid_rows, random_state=seed) if stratify and min_class >= 2 \
            else ShuffleSplit(1, test_size=n_valid_rows, random_state=seed)
        folds = [(np.sort(tr), np.sort(va)) for tr, va in splitter.split(rows, y[:n_train])]
    return folds, rows, how


def _groups(folds, y_oof: np.ndarray, task: str, seed: int) -> np.ndarray:
    """Which rows an ensemble holds out when scoring itself: the CV fold (of the first repetition; every
    partition's prediction of a row goes with it), or one of two halves of a hold-out."""
    from sklearn.model_selection import KFold, StratifiedKFold

    if len(folds) > 1:
        return np.tile(fold_of_rows(folds), partitions(folds))
    groups = np.zeros(len(y_oof), dtype=int)
    if len(y_oof) < 4:
        return groups
    stratify = task == "classification" and np.bincount(y_oof.astype(int)).min() >= 2 \
        if task == "classification" else False
    splitter = StratifiedKFold(2, shuffle=True, random_state=seed) if stratify else KFold(2, shuffle=True,
                                                                                            random_state=seed)
    for i, (_, half) in enumerate(splitter.split(np.zeros(len(y_oof)), y_oof if stratify else None)):
        groups[half] = i
    return groups


def prepare(job, train: pd.DataFrame, validation: pd.DataFrame | None, seed: int = 0) -> Prepared:
    import warnings

    task = job.task
    target = job.target_column_name
    if not isinstance(train, pd.DataFrame) or train.empty:
        raise InvalidInput("the training data is empty")
    y_raw = _target(job, train, "training data")
    known = y_raw.notna()
    dropped_targets = int((~known).sum())
    train = train.loc[known].reset_index(drop=True)
    y_raw = _numpy_labels(y_raw).reset_index(drop=True)
    if validation is not None:
        v_target = _target(job, validation, "validation data")
        validation = validation.loc[v_target.notna()].reset_index(drop=True)
        v_labels = _numpy_labels(v_target).reset_index(drop=True)
        missing = [c for c in train.columns if c not in validation.columns]
        if missing:
            raise InvalidInput(f"validation data lacks column(s) {', '.join(map(repr, missing[:10]))} of the "
                               "training data")
    n_train = len(train)
    if n_train < MIN_ROWS:
        raise InvalidInput(f"the training data has {n_train} row(s) with a target value; AutoML needs at least "
                           f"{MIN_ROWS}")
    n_valid = 0 if validation is None else len(validation)
    if validation is not None and n_valid < 2:
        raise InvalidInput("the validation data has fewer than 2 rows with a target value")

    classes = None
    y_range = None
    labels_all = y_raw if validation is None else pd.concat([y_raw, v_labels], ignore_index=True)
    if task == "classification":
        classes = plain(list(pd.unique(y_raw)))
        try:
            classes = sorted(classes)
        except TypeError:
            classes = sorted(classes, key=str)
        if len(classes) < 2:
            raise InvalidInput(f"target column {target!r} holds a single class ({_label_key(classes[0])!r}); "
                               "classification needs at least two")
        keys = [_label_key(c) for c in classes]
        if job.positive_label is not None:
            wanted = _label_key(job.positive_label)
            if wanted not in keys:
                raise InvalidInput(f"positive_label {job.positive_label!r} is not a class of {target!r}; classes: "
                                   f"{', '.join(keys[:20])}")
            if len(classes) == 2 and keys[1] != wanted:
                classes = classes[::-1]
                keys = keys[::-1]
        index = {k: i for i, k in enumerate(keys)}
        mapped = labels_all.map(lambda v: index.get(_label_key(v), -1))
        unseen = labels_all[mapped < 0]
        if len(unseen):
            raise InvalidInput(f"validation data has class(es) {', '.join(map(repr, unseen.astype(str).unique()[:5]))} "
                               "that the training data lacks")
        y = mapped.to_numpy(dtype=int)
    else:
        y = _numeric_target(labels_all, target).to_numpy(dtype=float)
        if not np.isfinite(y).all():
            raise InvalidInput(f"target column {target!r} holds infinite values")
        y_range = float(np.ptp(y[:n_train])) or 1.0
    w_train = _weights(job, train, "training data")
    w = None
    if w_train is not None:
        w = w_train if validation is None else np.concatenate([w_train, _weights(job, validation, "validation data")])

    drop = [target] + ([job.weight_column_name] if job.weight_column_name else [])
    features = train.drop(columns=drop)
    if features.shape[1] == 0:
        raise InvalidInput("the training data has no feature columns besides the target")
    plans = _featurize.plan_columns(features, job.featurization, task)
    featurizer = _featurize.build_featurizer(plans, task)
    folds, refit_rows, how = _folds(job, y, n_train, n_valid, task, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X = featurizer.fit_transform(features, y[:n_train])
        if validation is not None:
            X = np.vstack([X, featurizer.transform(validation.drop(columns=drop, errors="ignore")[features.columns])])
    X = np.asarray(X, dtype=np.float32)
    summary = _featurize.summarize(plans, featurizer)
    groups = _groups(folds, y[validation_rows(folds)], task, seed)

    rails = []
    if task == "classification":
        label_series = pd.Series([_label_key(classes[i]) for i in y[:n_train]])
        rails.append(_guardrails.class_balance(label_series))
        rails.append(_guardrails.rows_per_class(label_series, len(np.unique(groups))))
    rails.append(_guardrails.missing_target(dropped_targets, dropped_targets + n_train))
    rails.append(_guardrails.missing_values(plans))
    rails.append(_guardrails.high_cardinality(plans))
    rails.append(_guardrails.dropped_columns(plans))
    rails.append(_guardrails.leakage(features, plans, y[:n_train], task))
    rails.append(_guardrails.validation_split(how, n_train))
    return Prepared(task=task, metric=job.primary_metric, features=features, y=y, w=w, X=X, folds=folds,
                    refit_rows=refit_rows, groups=groups, classes=classes, y_range=y_range, featurizer=featurizer,
                    plans=plans, summary=summary, guardrails=rails, validation=how)
