"""``Dataset`` and ``TabularDataset``: v1's datasets are modelyard data assets (``mltable`` for tables).

A dataset made by ``from_delimited_files`` or ``random_split`` is not registered yet; ``register``
makes it a data asset version. Registered ones are read by the SDK, with the asset's parse settings.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherClassMembers, RefuseOtherMembers, not_honoured
from modelyard.errors import InvalidInput


def _source(path: Any) -> str:
    """A v1 dataset path (str, (datastore, path) tuple, or a one-element list of those) as a data asset path."""
    if isinstance(path, list):
        if len(path) != 1:
            raise InvalidInput(f"path: {len(path)} locations given; register one file, folder or glob "
                               "(for example 'data/*.csv') per dataset")
        path = path[0]
    if isinstance(path, tuple):
        datastore, inner = path
        return datastore.uri(inner)
    return str(path)


class TabularDataset(RefuseOtherMembers):
    _equivalents = {"to_spark_dataframe": "to_pandas_dataframe()",
                    "as_named_input": "the dataset's registered name in the job's inputs (azureml:<name>:<version>)",
                    "mount": "modelyard.Workspace().data.get(name).path"}

    def __init__(self, workspace: Any = None, path: str | None = None, frame: Any = None, asset: Any = None) -> None:
        self.workspace = workspace
        self._path = path
        self._frame = frame
        self._asset = asset

    @property
    def name(self) -> str | None:
        return self._asset.record.name if self._asset else None

    @property
    def version(self) -> int | None:
        return self._asset.record.version if self._asset else None

    @property
    def id(self) -> str | None:
        return f"{self.name}:{self.version}" if self._asset else None

    def to_pandas_dataframe(self):
        if self._asset is not None:
            return self._asset.to_pandas()
        if self._frame is not None:
            return self._frame.copy()
        import pandas as pd

        if self._path.startswith("modelyard://"):
            raise InvalidInput(f"{self._path}: register the dataset first (dataset.register(workspace, name)); "
                               "datastore paths are read through the workspace")
        return pd.read_csv(self._path, encoding="utf-8-sig")

    def random_split(self, percentage: float, seed: int | None = None) -> "tuple[TabularDataset, TabularDataset]":
        """Two unregistered datasets: ``percentage`` of the rows (at random) and the rest."""
        if not 0 < percentage < 1:
            raise InvalidInput(f"percentage: {percentage} is not between 0 and 1 (the share of rows in the first part)")
        frame = self.to_pandas_dataframe()
        first = frame.sample(frac=percentage, random_state=seed)
        return (TabularDataset(self.workspace, frame=first),
                TabularDataset(self.workspace, frame=frame.drop(first.index)))

    def register(self, workspace: Any, name: str, description: str | None = None, tags: dict[str, str] | None = None,
                 create_new_version: bool = False) -> "TabularDataset":
        """A data asset version named ``name``: the same content answers the version registered before
        (v1's ``create_new_version=False``), new content makes the next version."""
        sdk = workspace.sdk
        fields = {"name": name, "type": "mltable", "description": description, "tags": tags or {},
                  "force_new_version": create_new_version}
        if self._frame is not None or self._asset is not None:
            with tempfile.TemporaryDirectory(prefix="modelyard-v1-") as scratch:
                csv = Path(scratch) / f"{name}.csv"
                self.to_pandas_dataframe().to_csv(csv, index=False)
                asset = sdk.data.create(path=str(csv), **{k: v for k, v in fields.items() if v is not None})
        else:
            asset = sdk.data.create(path=self._path, **{k: v for k, v in fields.items() if v is not None})
        return TabularDataset(workspace, asset=asset)

    def __repr__(self) -> str:
        where = self.id or self._path or "in memory"
        return f"TabularDataset({where})"


class _Tabular:
    @staticmethod
    def from_delimited_files(path: Any, validate: bool = True, include_path: bool = False,
                             infer_column_types: bool = True, set_column_types: Any = None, separator: str = ",",
                             header: Any = True, encoding: str = "utf8", **more: Any) -> TabularDataset:
        not_honoured("Dataset.Tabular.from_delimited_files",
                     {"include_path": include_path, "set_column_types": set_column_types,
                      "separator": separator if separator != "," else None, **more},
                     {"include_path": "no path column is added",
                      "set_column_types": "column types are inferred when the dataset is registered "
                                          "(override them with `modelyard data create` columns:)",
                      "separator": "the separator is detected when the dataset is registered",
                      **{key: "ignored" for key in more}})
        workspace = path[0].workspace if isinstance(path, tuple) else None
        return TabularDataset(workspace, path=_source(path))

    @staticmethod
    def from_pandas_dataframe(dataframe: Any, **_: Any) -> TabularDataset:
        return TabularDataset(frame=dataframe)


class Dataset(metaclass=RefuseOtherClassMembers):
    Tabular = _Tabular
    _equivalents = {"File": "a uri_file/uri_folder data asset (modelyard.Workspace().data.create(type='uri_folder', "
                            "path=...)) and its .path or .download()"}

    @staticmethod
    def get_by_name(workspace: Any, name: str, version: int | str = "latest") -> TabularDataset:
        asset = workspace.sdk.data.get(name, None if version == "latest" else int(version))
        return TabularDataset(workspace, asset=asset)

    @staticmethod
    def get_by_id(workspace: Any, id: str) -> TabularDataset:
        return TabularDataset(workspace, asset=workspace.sdk.data.get(id))
