"""Untrained models with Azure's parameters, each built on scikit-learn or LightGBM.

In "Parameter Range" mode a learner also carries, per tunable parameter, the values Tune Model
Hyperparameters sweeps (``range_for_<parameter>``: values separated by ';' or ','; a range of one
value fixes that parameter).
Mappings: Azure's linear learners minimise ``loss + L1*|w| + L2/2*|w|^2``, which is scikit-learn's
``C = 1/(L1+L2)``, ``l1_ratio = L1/(L1+L2)``; like Azure they scale numeric features by their
largest absolute value first (``scaler="maxabs"``). Logistic regression's "Memory size for L-BFGS"
has no scikit-learn counterpart and is recorded only (Poisson Regression, ours, uses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelyard.errors import InvalidInput

from modelyard.designer._registry import enum, module, parameter, port
from modelyard.designer._values import UntrainedModel

CATEGORY = "Machine Learning Algorithms"
TRAINER_MODES = ["SingleParameter", "ParameterRange"]
SINGLE = {"create_trainer_mode": ["SingleParameter"]}


def _seed(params: dict[str, Any]) -> int | None:
    return params.get("random_number_seed")


def logistic(params: dict[str, Any]):
    from sklearn.linear_model import LogisticRegression

    l1, l2 = params["l1_regularization_weight"], params["l2_regularization_weight"]
    if l1 + l2 == 0:
        return LogisticRegression(C=float("inf"), tol=params["optimization_tolerance"], max_iter=1000,
                                  random_state=_seed(params))
    ratio = l1 / (l1 + l2)
    return LogisticRegression(C=1 / (l1 + l2), l1_ratio=ratio, solver="lbfgs" if ratio == 0 else "saga",
                              tol=params["optimization_tolerance"], max_iter=2000,
                              random_state=_seed(params))


def boosted_tree(task: str):
    def build(params: dict[str, Any]):
        import lightgbm

        kind = lightgbm.LGBMRegressor if task == "regression" else lightgbm.LGBMClassifier
        return kind(num_leaves=params["maximum_number_of_leaves_per_tree"],
                    min_child_samples=params["minimum_number_of_samples_per_leaf_node"],
                    learning_rate=params["learning_rate"], n_estimators=params["number_of_trees_constructed"],
                    random_state=_seed(params), verbose=-1)
    return build


def forest(task: str):
    def build(params: dict[str, Any]):
        from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

        kind = RandomForestRegressor if task == "regression" else RandomForestClassifier
        return kind(n_estimators=params["number_of_decision_trees"],
                    max_depth=params["maximum_depth_of_the_decision_trees"],
                    min_samples_leaf=params["minimum_number_of_samples_per_leaf_node"],
                    bootstrap=params["resampling_method"] == "Bagging Resampling", random_state=_seed(params))
    return build


def linear_regression(params: dict[str, Any]):
    from sklearn.linear_model import Ridge, SGDRegressor

    if params["solution_method"] == "Online Gradient Descent":
        return SGDRegressor(alpha=params["l2_regularization_weight"], eta0=params["learning_rate"],
                            learning_rate="invscaling", max_iter=params["number_of_training_epochs"],
                            fit_intercept=params["include_intercept_term"], random_state=_seed(params))
    return Ridge(alpha=params["l2_regularization_weight"], fit_intercept=params["include_intercept_term"])


def neural_network(task: str):
    def build(params: dict[str, Any]):
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        kind = MLPRegressor if task == "regression" else MLPClassifier
        return kind(hidden_layer_sizes=(params["number_of_hidden_nodes"],), solver="sgd",
                    learning_rate_init=params["the_learning_rate"], max_iter=params["number_of_learning_iterations"],
                    momentum=params["the_momentum"], shuffle=params["shuffle_examples"], random_state=_seed(params))
    return build


def _calibrated(linear):
    """Azure's linear classifiers (SVM, averaged perceptron) report probabilities: Platt scaling on 3 folds."""
    from sklearn.calibration import CalibratedClassifierCV

    return CalibratedClassifierCV(linear, method="sigmoid", cv=3)


def support_vector_machine(params: dict[str, Any]):
    from sklearn.linear_model import SGDClassifier

    return _calibrated(SGDClassifier(loss="hinge", alpha=params["lambda"], max_iter=params["number_of_iterations"],
                                     tol=None, random_state=_seed(params)))


def averaged_perceptron(params: dict[str, Any]):
    from sklearn.linear_model import SGDClassifier

    return _calibrated(SGDClassifier(loss="perceptron", learning_rate="constant", eta0=params["learning_rate"],
                                     penalty=None, average=True, max_iter=params["maximum_number_of_iterations"],
                                     tol=None, random_state=_seed(params)))


def learner(id: str, display_name: str, task: str, build, description: str, parameters: list,
            tunable: tuple[str, ...] = (), scaler: str | None = None, subcategory: str | None = None):
    """Declare an untrained-model module: its parameters, plus a range parameter per tunable one."""
    params = [enum("create_trainer_mode", "Create trainer mode", TRAINER_MODES)] + [
        p.model_copy(update={"enabled_when": SINGLE}) if p.name in tunable else p for p in parameters]
    params += [parameter("range", f"range_for_{p.name}", f"Range for {p.display_name[0].lower()}{p.display_name[1:]}",
                         str(p.default), item_kind=p.kind, minimum=p.minimum, maximum=p.maximum,
                         enabled_when={"create_trainer_mode": ["ParameterRange"]})
               for p in parameters if p.name in tunable]
    subcategory = subcategory or {"regression": "Regression"}.get(task, "Classification")

    def make(**values):
        single = {k: v for k, v in values.items() if not k.startswith("range_for_") and k != "create_trainer_mode"}
        range_mode = values["create_trainer_mode"] == "ParameterRange"
        ranges = {key.removeprefix("range_for_"): value for key, value in values.items()
                  if range_mode and key.startswith("range_for_") and value is not None}
        defaults = {name: options[0] for name, options in ranges.items()}
        swept = {name: options for name, options in ranges.items() if len(options) > 1}
        return UntrainedModel(id, display_name, task, {**single, **defaults}, build, scaler, swept, range_mode)

    def schema(_inputs, _params):
        return {"untrained_model": {"task": task}}

    module(id, display_name, f"{CATEGORY}/{subcategory}", description, outputs=[
        port("untrained_model", "Untrained model", "UntrainedModel")], parameters=params, schema=schema)(make)


def number(name, display, default, minimum=None, maximum=None, kind="number", **fields):
    return parameter(kind, name, display, default, minimum=minimum, maximum=maximum, **fields)


SEED = number("random_number_seed", "Random number seed", None, 0, kind="integer", optional=True)
LINEAR = [number("optimization_tolerance", "Optimization tolerance", 1e-7, 1e-15),
          number("l1_regularization_weight", "L1 regularization weight", 1.0, 0),
          number("l2_regularization_weight", "L2 regularization weight", 1.0, 0),
          number("memory_size_for_l_bfgs", "Memory size for L-BFGS", 20, 1, kind="integer"), SEED]
LINEAR_TUNABLE = ("optimization_tolerance", "l1_regularization_weight", "l2_regularization_weight")
TREES = [number("maximum_number_of_leaves_per_tree", "Maximum number of leaves per tree", 20, 2, kind="integer"),
         number("minimum_number_of_samples_per_leaf_node", "Minimum number of samples per leaf node", 10, 1,
                 kind="integer"),
         number("learning_rate", "Learning rate", 0.2, 1e-9, 1),
         number("number_of_trees_constructed", "Number of trees constructed", 100, 1, kind="integer"), SEED]
TREES_TUNABLE = ("maximum_number_of_leaves_per_tree", "minimum_number_of_samples_per_leaf_node", "learning_rate",
                 "number_of_trees_constructed")
FOREST = [enum("resampling_method", "Resampling method", ["Bagging Resampling", "Replicate Resampling"]),
          number("number_of_decision_trees", "Number of decision trees", 8, 1, kind="integer"),
          number("maximum_depth_of_the_decision_trees", "Maximum depth of the decision trees", 32, 1, kind="integer"),
          number("minimum_number_of_samples_per_leaf_node", "Minimum number of samples per leaf node", 1, 1,
                  kind="integer"), SEED]
FOREST_TUNABLE = ("number_of_decision_trees", "maximum_depth_of_the_decision_trees",
                  "minimum_number_of_samples_per_leaf_node")
NETWORK = [number("number_of_hidden_nodes", "Number of hidden nodes", 100, 1, kind="integer"),
           number("the_learning_rate", "The learning rate", 0.1, 1e-9, 10),
           number("number_of_learning_iterations", "Number of learning iterations", 100, 1, kind="integer"),
           number("the_momentum", "The momentum", 0.0, 0, 1),
           parameter("boolean", "shuffle_examples", "Shuffle examples", True), SEED]
NETWORK_TUNABLE = ("number_of_hidden_nodes", "the_learning_rate", "number_of_learning_iterations")

for _task, _prefix in (("binary", "two_class"), ("multiclass", "multiclass")):
    _title = "Two-Class" if _task == "binary" else "Multiclass"
    learner(f"{_prefix}_logistic_regression", f"{_title} Logistic Regression", _task, logistic,
            "Logistic regression with L1 and L2 regularization (scikit-learn's LogisticRegression).", LINEAR,
            LINEAR_TUNABLE, scaler="maxabs")
    learner(f"{_prefix}_boosted_decision_tree", f"{_title} Boosted Decision Tree", _task, boosted_tree(_task),
            "Gradient-boosted decision trees (LightGBM).", TREES, TREES_TUNABLE)
    learner(f"{_prefix}_decision_forest", f"{_title} Decision Forest", _task, forest(_task),
            "A random forest of decision trees (scikit-learn).", FOREST, FOREST_TUNABLE)
    learner(f"{_prefix}_neural_network", f"{_title} Neural Network", _task, neural_network(_task),
            "A one-hidden-layer neural network trained by SGD (scikit-learn's MLP).", NETWORK, NETWORK_TUNABLE,
            scaler="maxabs")
learner("boosted_decision_tree_regression", "Boosted Decision Tree Regression", "regression",
        boosted_tree("regression"), "Gradient-boosted regression trees (LightGBM).", TREES, TREES_TUNABLE)
learner("decision_forest_regression", "Decision Forest Regression", "regression", forest("regression"),
        "A random forest of regression trees (scikit-learn).", FOREST, FOREST_TUNABLE)
learner("neural_network_regression", "Neural Network Regression", "regression", neural_network("regression"),
        "A one-hidden-layer neural network regressor trained by SGD (scikit-learn's MLP).", NETWORK,
        NETWORK_TUNABLE, scaler="maxabs")
learner("linear_regression", "Linear Regression", "regression", linear_regression,
        "Least squares with L2 regularization, or online gradient descent.",
        [enum("solution_method", "Solution method", ["Ordinary Least Squares", "Online Gradient Descent"]),
         number("l2_regularization_weight", "L2 regularization weight", 0.001, 0),
         parameter("boolean", "include_intercept_term", "Include intercept term", True),
         number("learning_rate", "Learning rate", 0.1, 1e-9,
                 enabled_when={"solution_method": ["Online Gradient Descent"]}),
         number("number_of_training_epochs", "Number of training epochs", 10, 1, kind="integer",
                 enabled_when={"solution_method": ["Online Gradient Descent"]}), SEED],
        ("l2_regularization_weight",), scaler="maxabs")
learner("two_class_support_vector_machine", "Two-Class Support Vector Machine", "binary", support_vector_machine,
        "A linear support vector machine trained by stochastic gradient descent, with Platt-scaled probabilities.",
        [number("number_of_iterations", "Number of iterations", 10, 1, kind="integer"),
         number("lambda", "Lambda", 0.001, 1e-12), SEED], ("number_of_iterations", "lambda"), scaler="maxabs")
learner("two_class_averaged_perceptron", "Two-Class Averaged Perceptron", "binary", averaged_perceptron,
        "An averaged perceptron, with Platt-scaled probabilities.",
        [number("learning_rate", "Learning rate", 1.0, 1e-9),
         number("maximum_number_of_iterations", "Maximum number of iterations", 10, 1, kind="integer"), SEED],
        ("learning_rate", "maximum_number_of_iterations"), scaler="maxabs")


@dataclass(frozen=True)
class OneVsAll:
    """Builds one copy of a two-class learner per class (scikit-learn's OneVsRestClassifier)."""

    binary: UntrainedModel

    def __call__(self, _params: dict[str, Any]):
        from sklearn.multiclass import OneVsRestClassifier

        return OneVsRestClassifier(self.binary.estimator())


def _one_vs_all_schema(_inputs, _params):
    return {"untrained_model": {"task": "multiclass"}}


@module("one_vs_all_multiclass", "One-vs-All Multiclass", f"{CATEGORY}/Classification",
        "A multiclass learner made of one two-class learner per class.",
        inputs=[port("untrained_binary_classification_model", "Untrained binary classification model",
                     "UntrainedModel")],
        outputs=[port("untrained_model", "Untrained model", "UntrainedModel")], schema=_one_vs_all_schema)
def one_vs_all_multiclass(untrained_binary_classification_model):
    binary = untrained_binary_classification_model
    if binary.task != "binary":
        raise InvalidInput(f"{binary.display_name} is not a two-class learner; connect a Two-Class learner")
    return UntrainedModel("one_vs_all_multiclass", f"One-vs-All ({binary.display_name})", "multiclass", {},
                          OneVsAll(binary), binary.scaler)
