"""Responsible AI engine: explanations (SHAP), fairness (fairlearn) and error analysis of fitted models.

Pure computation over a fitted scikit-learn compatible model and a DataFrame; results are the
records of ``modelyard.spec.explain``, ready to be stored and served as they are.
"""

from modelyard.explain._error_analysis import analyze_errors
from modelyard.explain._explain import explain_model
from modelyard.explain._fairness import assess_fairness
from modelyard.explain._load import load_explainable
from modelyard.explain._mitigation import ThresholdMitigatedModel, mitigate_thresholds
from modelyard.explain._row_explainer import RowContributions, RowExplainer
from modelyard.explain._scores import score_model

__all__ = ["RowContributions", "RowExplainer", "ThresholdMitigatedModel", "analyze_errors", "assess_fairness",
           "explain_model", "load_explainable", "mitigate_thresholds", "score_model"]
