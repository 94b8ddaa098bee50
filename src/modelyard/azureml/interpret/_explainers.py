"""``TabularExplainer`` and ``MimicExplainer`` (``interpret.ext.blackbox``) over the explain engine: the model
itself is explained with SHAP (tree, linear or permutation, as the engine picks), so a mimic's surrogate model
is not trained."""

from __future__ import annotations

from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, not_honoured
from modelyard.errors import InvalidInput


class TabularExplainer(RefuseOtherMembers):
    _equivalents = {"explain_subset": "explain the whole model, then read get_feature_importance_dict()"}
    _call = "TabularExplainer"

    def __init__(self, model: Any, initialization_examples: Any = None, explain_subset: Any = None,
                 features: list[str] | None = None, classes: list[Any] | None = None, transformations: Any = None,
                 allow_all_transformations: bool = False, model_task: str = "unknown", **kwargs: Any) -> None:
        not_honoured(self._call, {"explain_subset": explain_subset, "classes": classes, **kwargs},
                     {"explain_subset": "every feature is explained",
                      "classes": "the class names are the model's own (classes_)",
                      **{name: "it is ignored" for name in kwargs}})
        self.model = _with_transformations(model, transformations)
        self.features = list(features) if features is not None else _columns(initialization_examples)
        self.classes = classes
        self.model_task = model_task

    def explain_global(self, evaluation_examples: Any, sampling_policy: Any = None, include_local: bool = True,
                       batch_size: int = 100) -> Any:
        """Global importance over ``evaluation_examples`` (a DataFrame, or an array in ``features`` order)."""
        return self._explain(evaluation_examples, local=False)

    def explain_local(self, evaluation_examples: Any) -> Any:
        """Each row's contributions (``get_ranked_local_names/values``, ``local_importance_values``)."""
        return self._explain(evaluation_examples, local=True)

    def _explain(self, examples: Any, local: bool) -> Any:
        from modelyard.azureml.interpret._explanation import V1Explanation
        from modelyard.explain import explain_model

        frame = _frame(examples, self.features)
        limits = {"local_rows": len(frame), "agnostic_rows": len(frame)} if local else {}
        return V1Explanation(explain_model(self.model, frame, **limits), classes=getattr(self.model, "classes_", None))


class MimicExplainer(TabularExplainer):
    _call = "MimicExplainer"

    def __init__(self, model: Any, initialization_examples: Any = None, explainable_model: Any = None,
                 explainable_model_args: dict[str, Any] | None = None, is_function: bool = False,
                 augment_data: bool = True, max_num_of_augmentations: int = 10, explain_subset: Any = None,
                 features: list[str] | None = None, classes: list[Any] | None = None, transformations: Any = None,
                 allow_all_transformations: bool = False, shap_values_output: Any = None,
                 categorical_features: Any = None, model_task: str = "unknown", reset_index: Any = None,
                 **kwargs: Any) -> None:
        surrogate = "the model itself is explained with SHAP (tree, linear or permutation); no surrogate is trained"
        not_honoured("MimicExplainer", {"explainable_model": explainable_model,
                                        "explainable_model_args": explainable_model_args,
                                        "max_num_of_augmentations": max_num_of_augmentations if augment_data else None,
                                        "categorical_features": categorical_features},
                     {"explainable_model": surrogate, "explainable_model_args": surrogate,
                      "max_num_of_augmentations": "the evaluation rows are explained as given, not augmented",
                      "categorical_features": "categorical columns are read from the model's pipeline"})
        super().__init__(model, initialization_examples, explain_subset=explain_subset, features=features,
                         classes=classes, transformations=transformations, model_task=model_task, **kwargs)


def _with_transformations(model: Any, transformations: Any) -> Any:
    """v1's ``transformations`` (a fitted ColumnTransformer from raw columns to the model's inputs): the model
    behind it, so the explanation is over the raw columns."""
    if transformations is None:
        return model
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    if not isinstance(transformations, ColumnTransformer):
        raise InvalidInput(f"transformations: a {type(transformations).__name__} is not supported; pass the fitted "
                           "sklearn ColumnTransformer, or explain a Pipeline of it and the model")
    return Pipeline([("transformations", transformations), ("model", model)])


def _columns(examples: Any) -> list[str] | None:
    columns = getattr(examples, "columns", None)
    return None if columns is None else [str(c) for c in columns]


def _frame(examples: Any, features: list[str] | None):
    import pandas as pd

    if isinstance(examples, pd.DataFrame):
        return examples
    if isinstance(examples, pd.Series):
        return examples.to_frame().T
    frame = pd.DataFrame(examples)
    if features is not None:
        if frame.shape[1] != len(features):
            raise InvalidInput(f"evaluation_examples has {frame.shape[1]} columns but features names "
                               f"{len(features)}; pass a DataFrame or an array in the order of features")
        frame.columns = features
    return frame
