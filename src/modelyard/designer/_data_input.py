"""Data Input and Output: a registered dataset and Enter Data Manually."""

from __future__ import annotations

import io

from modelyard.errors import InvalidInput

from modelyard.designer._columns import schema_of
from modelyard.designer._registry import enum, module, parameter, port

CATEGORY = "Data Input and Output"


def _dataset_schema(_inputs, _params):
    return {}  # the validator takes a dataset node's schema from the stored dataset's schema


@module("dataset", "Dataset", "Datasets", "A registered data asset (any version) as a table.",
        outputs=[port("output", "Dataset")],
        parameters=[parameter("string", "asset", "Dataset", description="name:version or name@latest")],
        schema=_dataset_schema)
def dataset(*, asset: str):
    raise InvalidInput(f"dataset '{asset}' is read by the pipeline's runner, which passes its rows downstream; "
                       "a dataset node has no computation of its own")


def _read_manual(data_format: str, has_header: bool, data: str):
    import pandas as pd

    try:
        return pd.read_csv(io.StringIO(data), sep="\t" if data_format == "TSV" else ",",
                           header=0 if has_header else None)
    except (ValueError, pd.errors.ParserError) as error:
        raise InvalidInput(f"the data is not valid {data_format}: {error}") from None


def _manual_schema(_inputs, params):
    frame = _read_manual(params["data_format"], params["has_header"], params["data"] or "")
    return {"*": schema_of(frame)}


@module("enter_data_manually", "Enter Data Manually", CATEGORY,
        "A small table typed in as CSV or TSV text.",
        outputs=[port("dataset", "Dataset")],
        parameters=[enum("data_format", "DataFormat", ["CSV", "TSV"]),
                    parameter("boolean", "has_header", "HasHeader", True),
                    parameter("script", "data", "Data")],
        schema=_manual_schema)
def enter_data_manually(*, data_format: str, has_header: bool, data: str):
    frame = _read_manual(data_format, has_header, data)
    frame.columns = [str(name) for name in frame.columns]
    return frame


@module("web_service_input", "Web Service Input", "Web Service",
        "Where a real-time inference pipeline takes the request's rows; in a training run, the connected "
        "dataset passes through.",
        inputs=[port("dataset", "Dataset", optional=True)], outputs=[port("output", "Output")],
        schema=lambda inputs, _params: {"*": inputs.get("dataset")})
def web_service_input(dataset):
    if dataset is None:
        raise InvalidInput("no rows: a request's rows reach Web Service Input only in a deployed inference "
                           "pipeline; connect a dataset to run it in a pipeline")
    return dataset


@module("web_service_output", "Web Service Output", "Web Service",
        "What a real-time inference pipeline answers with: the rows that reach it.",
        inputs=[port("dataset", "Dataset")], outputs=[port("output", "Output")],
        schema=lambda inputs, _params: {"*": inputs.get("dataset")})
def web_service_output(dataset):
    return dataset
