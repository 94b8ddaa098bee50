"""``python -m modelyard.runtime.designer_model_builder SPEC.json``: a real-time inference draft built into one
MLflow model, in its own process (the server never unpickles what a step wrote).

SPEC: ``graph`` (the draft's), ``saved`` (node id -> [port type, folder of the step output]),
``schemas`` (dataset node id -> schema), ``example`` (``columns`` and ``rows`` of the dataset, for the
signature), ``what`` (the draft, for messages) and ``output`` (the folder to save the model in).
Exit code 2 with the message on stderr when the draft cannot become one model."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from modelyard.errors import ModelyardError


def request_example(model, label: str, columns: list[str], rows: list[list]):
    """The dataset's rows as a request sends them: the columns the model reads when that is enough (the
    training run's dropped columns and the label left out), else every column but the label."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns).drop(columns=[label], errors="ignore")
    featurizer = model.steps[-2][1] if len(getattr(model, "steps", ())) > 1 else model  # what the learner reads
    reads = getattr(featurizer, "feature_names_in_", None)
    if reads is None:
        return frame
    read = frame[[name for name in frame.columns if name in set(reads)]]
    try:
        model.predict(read)
        return read
    except (ModelyardError, KeyError, ValueError):
        return frame


def build(spec: dict) -> None:
    from modelyard.designer import inference_model, read_port
    from modelyard.designer._values import save_sklearn

    with tempfile.TemporaryDirectory(prefix="designer-model-") as copies:
        saved = {}
        for node_id, (port_type, folder) in spec["saved"].items():
            copy = Path(copies) / node_id
            shutil.copytree(folder, copy, symlinks=False)
            saved[node_id] = read_port(port_type, copy)
        model = inference_model(spec["graph"], saved, spec["schemas"], spec["what"])
        label = next(node["parameters"].get("label_column") for node in spec["graph"]["nodes"]
                     if node["module"] == "trained_model")
        save_sklearn(model, spec["output"], request_example(model, label, spec["example"]["columns"],
                                                            spec["example"]["rows"]))


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    try:
        build(spec)
    except ModelyardError as error:
        print(error.message, file=sys.stderr, flush=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
