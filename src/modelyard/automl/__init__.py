"""Automated ML: the best model for a labelled table within a time budget, explained by its leaderboard.

``run_automl(job, train, validation=None, reporter=None, executor="processes", deadline=None)``
prepares the data (target checks, column-purpose inference, one featurizer, guardrails), tries
strong default configurations of every allowed algorithm, tunes them with Optuna's TPE (one study
per algorithm, a cost-aware bandit choosing the next), builds a voting ensemble (greedy selection
over out-of-fold predictions) and a stack ensemble, and refits the final models on all training
rows — ending by ``deadline`` (a ``time.monotonic()`` value) or ``limits.timeout_minutes``, or
earlier: ``max_trials``, ``exit_score``, or with ``enable_early_termination`` (the default) when 20 trials
in a row after the first 20 did not improve the best score (``timings["stop_reason"]`` says which).
Trials run on a trial executor, up to ``max_concurrent_trials`` at once: ``executor="processes"``
(local worker processes; a trial past its deadline is stopped by ending its process) or
``executor="ray"`` (Ray tasks spread over the cluster in ``RAY_ADDRESS``, the data put once in the
object store; a trial past its deadline is cancelled with ``ray.cancel``). Same search, same
budget rules, same result. ``TrialResult.placement`` says where a trial ran (``executor``, and
``ray_node_id`` / ``ray_node_ip`` on Ray).

``refit_trial(job, train, validation, TrialConfig(algorithm, params, members))`` fits any trial's
configuration (ensembles included) on all training rows after the run, prepared exactly as the run
prepared them, and returns the same kind of model as the best trial's.

Reporter: any object with some of ``on_featurization(summary)``, ``on_guardrails(rails)``,
``on_trial_start(trial_id, algorithm, params)``, ``on_trial_end(trial)``,
``on_progress(done, best, seconds_left)``, called from the calling thread. ``on_trial_end`` of a
search trial comes when its validation ends; its ``model`` is filled later, during the final
refit, and only for the trials the final models need (the best one and the ensembles' members);
other trials keep ``model=None``. Ensembles report ``on_trial_end`` after their refit.

Validation (``AutoMLResult.validation`` says which): ``validation_data`` when given, else
``n_cross_validations`` folds or a ``validation_data_size`` hold-out when set, else by size: 5-fold
cross-validation, repeated on three partitions up to 1,000 rows (one partition of a small table is
noisy enough that hundreds of trials find configurations that fit its folds rather than the data;
the metrics then score every partition's predictions, as rows of their own, and the charts show the
first partition), 3-fold above 10,000 rows, and a hold-out above 20,000.

Metrics (``TrialResult.metrics``, Azure's names; every one is computed for every completed trial
on the out-of-fold predictions, ensembles on honest nested predictions):
classification: accuracy, AUC_weighted/macro/micro, average_precision_score_weighted/macro/micro,
precision_score_*, recall_score_*, f1_score_* (macro, micro, weighted), balanced_accuracy,
norm_macro_recall, log_loss, matthews_correlation, weighted_accuracy. Regression: r2_score,
explained_variance, spearman_correlation, root_mean_squared_error, mean_absolute_error,
median_absolute_error, their normalized_* versions (divided by the training target's range), and
root_mean_squared_log_error / normalized_root_mean_squared_log_error when the target is non-negative.
Lower is better for log_loss and the error metrics (``greater_is_better(name)``).

Charts (``TrialResult.charts``), JSON-ready. Curves are thinned to at most 101 points.
Classification::

    {"task": "classification", "classes": ["No", "Yes"],
     "roc": {"per_class": {"Yes": {"fpr": [...], "tpr": [...], "auc": 0.83}, ...},
             "micro": {"fpr": [...], "tpr": [...], "auc": ...},
             "macro": {"fpr": [101-point grid], "tpr": [...]}},
     "precision_recall": {"per_class": {"Yes": {"precision": [...], "recall": [...],
                                                "average_precision": ...}},
                          "micro": {...same keys...}, "macro": {"recall": [grid], "precision": [...]}},
     "calibration": {"per_class": {"Yes": [{"lower": 0.0, "upper": 0.1, "count": 812,
                                            "mean_predicted": 0.04, "fraction_positive": 0.05}, ...]}},
     "confusion_matrix": {"labels": ["No", "Yes"], "counts": [[n, n], [n, n]],
                          "normalized": [[row shares], ...]},      # rows: true class, columns: predicted
     "cumulative_gains": {"percentiles": [0, 5, ..., 100], "per_class": {"Yes": [share captured, ...]}},
     "lift": {"percentiles": [0, 5, ..., 100], "per_class": {"Yes": [lift, ...]}}}

Regression::

    {"task": "regression",
     "predicted_vs_true": {"bins": [{"lower", "upper", "count", "true_mean", "predicted_mean",
                                     "predicted_std"}, ...]},          # 20 quantile bins of the true value
     "residuals": {"bin_edges": [21 values], "counts": [20 values], "mean": ..., "std": ...}}

Featurization summary (``AutoMLResult.featurization``): one row per raw column with
``raw_feature_name``, ``type_detected`` (Numeric, Categorical, DateTime, Text, Identifier,
Constant, Empty, Ignore), ``dtype``, ``dropped``, ``reason``, ``missing_values``,
``distinct_values``, ``engineered_feature_count``, ``engineered_features`` and
``transformations``. Guardrails: ``{"name", "status": passed|done|alerted, "description",
"details": [...]}``.

Models: ``TrialResult.model`` is ``Pipeline([("featurize", ColumnTransformer), ("model", ...)])``
taking the raw columns (target and weight removed); classifiers predict the original labels and
``predict_proba`` columns follow ``model.classes_``. ``save_model`` / ``log_model_to_run`` write it
as an MLflow sklearn model (cloudpickle format, signature, input example).
"""

from modelyard._lazy import lazy_exports

_EXPORTS = {
    "run_automl": "_engine",
    "CLASSIFIERS": "_estimators",
    "REGRESSORS": "_estimators",
    "greater_is_better": "_metrics",
    "log_model_to_run": "_mlflow",
    "save_model": "_mlflow",
    "TrialConfig": "_refit",
    "refit_trial": "_refit",
    "AutoMLResult": "_result",
    "TrialResult": "_result",
    "AutoMLJobBuilder": "_sdk",
    "classification": "_sdk",
    "regression": "_sdk",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = sorted(_EXPORTS)
