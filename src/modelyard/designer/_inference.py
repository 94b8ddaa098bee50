"""Inference pipelines from a training graph, as Azure's designer makes them.

``inference_graph``: every module that trains a model (Train Model, ...) becomes a Trained Model node read
from the training run's step, every module that fitted a transformation (Clean Missing Data, Normalize
Data, ...) becomes Apply Transformation fed by a Fitted Transformation node, Split Data is bypassed and
Evaluate Model (and what only served training) is dropped. A real-time pipeline then takes the request
at Web Service Input (the dataset stays connected to it, which gives its schema) and answers with what
reaches Web Service Output; a batch pipeline keeps the dataset, which its runs replace. Import Data reads a
source that may have changed or gone since the run, so a real-time pipeline holds the first rows the run
imported instead, as Enter Data Manually connected to Web Service Input; a batch pipeline keeps Import Data,
which reads its source on every run.

``inference_model``: a real-time pipeline as ONE model: the table modules and fitted transformations
between Web Service Input and Score Model in front of the trained model's featurizer and learner, as one
scikit-learn Pipeline (compiled by the serving engine when no transformation runs first).
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftEdge, DraftGraph, DraftNode

from modelyard.designer._pipeline_parameters import resolve
from modelyard.designer._registry import get_module
from modelyard.designer._validate import Draft, flow_schemas

Kind = Literal["real-time", "batch"]
BYPASSED = ("split_data",)  # their outputs come from what fed them
DROPPED = ("evaluate_model", "cross_validate_model", "permutation_feature_importance")
MODEL_CONSUMERS = ("score_model", "assign_data_to_clusters")
WEB_SERVICE_INPUT, WEB_SERVICE_OUTPUT = "web_service_input", "web_service_output"
SOURCES = ("dataset", "import_data")  # where a real-time pipeline takes the request instead
Imported = Callable[[str], Any]  # Import Data node id -> the first rows its training step read (a DataFrame)


def _ports_of_type(draft: Draft, node_id: str, port_type: str) -> list[str]:
    spec = draft.spec(node_id)
    return [port.name for port in spec.outputs if port.type == port_type] if spec else []


def _edge(source: str, source_port: str, target: str, target_port: str) -> DraftEdge:
    return DraftEdge(source=source, source_port=source_port, target=target, target_port=target_port)


def _fresh_id(wanted: str, taken: set[str]) -> str:
    node_id, n = wanted, 1
    while node_id in taken:
        n += 1
        node_id = f"{wanted}{n}"
    taken.add(node_id)
    return node_id


class _Rewrite:
    def __init__(self, graph: DraftGraph, what: str) -> None:
        self.draft = Draft.of(graph)
        self.what = what
        self.nodes: dict[str, DraftNode] = {node.id: node for node in graph.nodes}
        self.edges: list[DraftEdge] = list(graph.edges)

    def replace_trainers(self, steps: dict[str, str], schemas: dict[tuple[str, str], Any]) -> list[str]:
        trainers = [n for n in self.nodes if n in self.draft.modules and self.nodes[n].module != "trained_model"
                    and _ports_of_type(self.draft, n, "ModelDirectory")]
        if not trainers:
            raise InvalidInput(f"{self.what} trains no model (no Train Model, Tune Model Hyperparameters or Train "
                               "Clustering Model node): an inference pipeline needs a trained model")
        for node_id in trainers:
            port = _ports_of_type(self.draft, node_id, "ModelDirectory")[0]
            self.nodes[node_id] = DraftNode(id=node_id, module="trained_model", parameters={
                "job": steps[node_id], "port": port, **self._trained(node_id, port, schemas)})
            self.edges = [_edge(e.source, "trained_model", e.target, e.target_port) if e.source == node_id else e
                          for e in self.edges if e.target != node_id and (e.source != node_id or e.source_port == port)]
        return trainers

    def _trained(self, node_id: str, port: str, schemas: dict[tuple[str, str], Any]) -> dict[str, str]:
        """The trained model's task, label and label type as its schema flowed; where a schema upstream was
        unknown (a module whose output columns depend on the data), the trainer's label column and its
        learner's task."""
        from modelyard.designer._params import check_parameters

        model = schemas.get((node_id, port)) or {}
        learner = next((schemas.get((e.source, e.source_port)) for e in self.draft.into[node_id]
                        if e.target_port == "untrained_model"), None) or {}
        label = check_parameters(self.draft.spec(node_id), self.nodes[node_id].parameters)[0].get("label_column")
        return {"task": model.get("task") or learner.get("task") or "clustering",
                "label_column": model.get("label") or label or "", "label_type": model.get("label_type") or "string"}

    def replace_fitted(self, steps: dict[str, str]) -> None:
        for node_id in list(self.nodes):
            spec = self.draft.spec(node_id)
            fitted = _ports_of_type(self.draft, node_id, "TransformationDirectory")
            tables = _ports_of_type(self.draft, node_id, "DataFrameDirectory")
            if not fitted or len(tables) != 1 or spec.input("dataset") is None or self.nodes[node_id].module == \
                    "fitted_transformation":
                continue
            saved = _fresh_id(f"{node_id}_transformation", set(self.nodes))
            self.nodes[saved] = DraftNode(id=saved, module="fitted_transformation",
                                          parameters={"job": steps[node_id], "port": fitted[0]})
            self.nodes[node_id] = DraftNode(id=node_id, module="apply_transformation")
            kept = []
            for e in self.edges:
                if e.target == node_id and e.target_port != "dataset":
                    continue
                if e.source == node_id:
                    e = _edge(saved, "transformation", e.target, e.target_port) if e.source_port == fitted[0] else \
                        _edge(node_id, "transformed_dataset", e.target, e.target_port)
                kept.append(e)
            self.edges = kept + [_edge(saved, "transformation", node_id, "transformation")]

    def bypass(self) -> None:
        for node_id in [n for n, node in self.nodes.items() if node.module in BYPASSED]:
            feed = next((e for e in self.edges if e.target == node_id and e.target_port == "dataset"), None)
            self.edges = [e for e in self.edges if e.target != node_id]
            if feed is not None:
                self.edges = [_edge(feed.source, feed.source_port, e.target, e.target_port) if e.source == node_id
                              else e for e in self.edges]
            self._remove({node_id})

    def prune(self, models: list[str]) -> list[str]:
        """Keep what feeds the model's consumers, the consumers, and what follows them but evaluation."""
        consumers = sorted({e.target for e in self.edges if e.source in models})
        if not consumers:
            raise InvalidInput(f"{self.what} scores nothing with its trained model: connect Train Model to Score "
                               "Model, which an inference pipeline keeps")
        keep = set(consumers) | self._closure(consumers, upstream=True)
        keep |= self._closure(consumers, upstream=False, stop=lambda n: self.nodes[n].module in DROPPED)
        self._remove(set(self.nodes) - keep)
        return consumers

    def _closure(self, start: list[str], upstream: bool, stop=lambda _: False) -> set[str]:
        found, todo = set(), list(start)
        while todo:
            current = todo.pop()
            for e in self.edges:
                near, far = (e.target, e.source) if upstream else (e.source, e.target)
                if near == current and far not in found and not stop(far):
                    found.add(far)
                    todo.append(far)
        return found

    def _remove(self, ids: set[str]) -> None:
        for node_id in ids:
            self.nodes.pop(node_id, None)
        self.edges = [e for e in self.edges if e.source not in ids and e.target not in ids]

    def add_web_service(self, imported: Imported) -> None:
        sources = [n for n, node in self.nodes.items() if node.module in SOURCES]
        if len(sources) != 1:
            raise InvalidInput(f"{self.what} reads {len(sources)} datasets or Import Data nodes on its scoring path; a "
                               "real-time pipeline takes the request at one Web Service Input: keep one before "
                               "Score Model")
        if self.nodes[sources[0]].module == "import_data":
            self._hold_imported_rows(sources[0], imported(sources[0]))
        source = _fresh_id(WEB_SERVICE_INPUT, set(self.nodes))
        self.nodes[source] = DraftNode(id=source, module=WEB_SERVICE_INPUT)
        output = get_module(self.nodes[sources[0]].module).spec.outputs[0].name
        self.edges = [_edge(source, "output", e.target, e.target_port) if e.source == sources[0] else e
                      for e in self.edges] + [_edge(sources[0], output, source, "dataset")]
        draft = Draft.of(self.graph())
        for node_id in [n for n in self.nodes if not any(e.source == n for e in self.edges)]:
            tables = _ports_of_type(draft, node_id, "DataFrameDirectory")
            if tables and node_id != source:
                answer = _fresh_id(WEB_SERVICE_OUTPUT, set(self.nodes))
                self.nodes[answer] = DraftNode(id=answer, module=WEB_SERVICE_OUTPUT)
                self.edges.append(_edge(node_id, tables[0], answer, "dataset"))

    def _hold_imported_rows(self, node_id: str, rows) -> None:
        """Import Data ``node_id`` as Enter Data Manually holding ``rows``, the request's example and schema."""
        self.nodes[node_id] = DraftNode(id=node_id, module="enter_data_manually", parameters={
            "data_format": "CSV", "has_header": True, "data": rows.to_csv(index=False)})

    def graph(self) -> DraftGraph:
        return DraftGraph(nodes=list(self.nodes.values()), edges=self.edges)


def _no_import(node_id: str):
    raise InvalidInput(f"node '{node_id}' (Import Data) feeds the scoring path, but the first rows its training step "
                       "read were not given")


def inference_graph(graph: DraftGraph | dict, steps: dict[str, str], dataset_schemas: dict[str, dict[str, str]],
                    kind: Kind, what: str = "the training graph", imported: Imported = _no_import) -> DraftGraph:
    """The ``kind`` inference pipeline of training ``graph``, whose run's step jobs are ``steps`` (node id ->
    job name); ``dataset_schemas`` gives the label's type; ``imported`` the rows a real-time pipeline holds in
    place of Import Data. InvalidInput, naming ``what``, when it trains or scores nothing. Pipeline parameters
    take their defaults (resolve the graph first for other values)."""
    graph = resolve(DraftGraph.model_validate(graph) if isinstance(graph, dict) else graph)
    schemas, _ = flow_schemas(Draft.of(graph), dataset_schemas)
    rewrite = _Rewrite(graph, what)
    models = rewrite.replace_trainers(steps, schemas)
    rewrite.replace_fitted(steps)
    rewrite.bypass()
    rewrite.prune(models)
    if kind == "real-time":
        rewrite.add_web_service(imported)
    return rewrite.graph()


def _single_edge(draft: Draft, node_id: str, port: str, what: str) -> DraftEdge:
    edge = next((e for e in draft.into[node_id] if e.target_port == port), None)
    if edge is None:
        raise InvalidInput(f"{what}: {draft.name(node_id)} has no input on port '{port}'; connect one")
    return edge


def _selected_but_label(parameters: dict[str, Any], schema: dict[str, str] | None, model) -> list[str]:
    """Select Columns' selection as the names it picked from the training schema, but the label: a request
    then needs exactly the columns the model reads, and may omit those the training run dropped."""
    from modelyard.designer._columns import select

    if schema is None:
        raise InvalidInput("the columns reaching Select Columns in Dataset are unknown; save the draft with its "
                           "dataset connected to Web Service Input")
    return [name for name in select(parameters.get("select_columns"), schema, "select_columns")
            if name != model.label_column]


def inference_model(graph: DraftGraph | dict, saved: dict[str, Any], dataset_schemas: dict[str, dict[str, str]],
                    what: str = "the draft"):
    """One ``TrainedModel`` that answers as real-time ``graph`` does: the modules from Web Service Input to
    Score Model run in front of the saved trained model. ``saved``: Trained Model / Fitted Transformation
    node id -> its loaded value; ``dataset_schemas``: the dataset node's schema (the request's columns)."""
    from modelyard.designer._values import ModuleStep

    graph = resolve(DraftGraph.model_validate(graph) if isinstance(graph, dict) else graph)
    draft = Draft.of(graph)
    known, _ = flow_schemas(draft, dataset_schemas)
    schemas = {e.target: known.get((e.source, e.source_port)) for e in graph.edges if e.target_port == "dataset"}
    nodes = {node.id: node for node in graph.nodes}
    answers = [n for n, node in nodes.items() if node.module == WEB_SERVICE_OUTPUT]
    if len(answers) != 1:
        raise InvalidInput(f"{what} has {len(answers)} Web Service Output nodes; deploying takes exactly one, "
                           "fed by Score Model")
    scorer = _single_edge(draft, answers[0], "dataset", what).source
    if nodes[scorer].module != "score_model":
        raise InvalidInput(f"{what}: Web Service Output is fed by {draft.name(scorer)}; deploying as one model takes "
                           "Score Model's output there (move the modules after Score Model before it)")
    model = saved[_single_edge(draft, scorer, "trained_model", what).source]
    steps, current = [], _single_edge(draft, scorer, "dataset", what)
    while nodes[current.source].module != WEB_SERVICE_INPUT:
        node = nodes[current.source]
        port_in = "dataset"
        if node.module == "apply_transformation":
            steps.append(saved[_single_edge(draft, node.id, "transformation", what).source])
        else:
            spec = draft.spec(node.id)
            tables = [p.name for p in spec.inputs if p.type == "DataFrameDirectory"]
            if len(spec.inputs) != 1 or len(tables) != 1 or nodes[node.id].module == "dataset":
                raise InvalidInput(f"{what}: {draft.name(node.id)} is on the path from Web Service Input to Score "
                                   "Model but is not a one-table module; only those and Apply Transformation fit "
                                   "in one model")
            port_in = tables[0]
            parameters = dict(node.parameters)
            if node.module == "select_columns_in_dataset":
                parameters["select_columns"] = _selected_but_label(parameters, schemas.get(node.id), model)
            steps.append(ModuleStep(node.module, parameters, port_in, current.source_port))
        current = _single_edge(draft, node.id, port_in, what)
    return deployable(model, list(reversed(steps)))


def deployable(model, steps: list) -> Any:
    """``steps`` then ``model`` as one scikit-learn Pipeline ending in the model's own featurizer and learner,
    which the serving engine compiles when nothing runs before them. Select Columns steps are left out: the
    featurizer reads the model's feature columns by name and ignores the others."""
    from sklearn.pipeline import Pipeline

    from modelyard.designer._values import ModuleStep

    kept = [step for step in steps if not (isinstance(step, ModuleStep) and step.module == "select_columns_in_dataset")]
    if model.task == "clustering" or model.estimator is None or not hasattr(model.estimator, "steps"):
        return model.with_transformations(*steps)
    return Pipeline([(f"step{i}", step) for i, step in enumerate(kept)] + list(model.estimator.steps))
