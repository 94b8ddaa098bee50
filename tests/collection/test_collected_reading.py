"""Reading collected data back: damaged files are skipped and counted, windows cut by hour and time,
names resolve as Azure writes them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from modelyard.errors import InvalidInput, NotFound
from modelyard.serving._collector import Collector


@pytest.fixture
def service(tmp_path):
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.services.data_collection import DataCollectionService, collected_key

    context = ServiceContext.open(workspaces.create(tmp_path / "ws", name="reading"))
    yield DataCollectionService(context), context.artifacts.uri(collected_key("shop", "blue"))
    context.close()


def collect(folder: str, batches: list[list[int]]) -> None:
    """One file per batch in ``folder``: rows with column ``x``."""
    collector = Collector(folder, ("model_inputs", "model_outputs"))
    collector.start()
    for number, batch in enumerate(batches):
        collector.add(f"id-{number}", {"x": batch}, len(batch), {"prediction": [v * 2 for v in batch]})
        collector.flush()
    collector.close()


def test_a_truncated_file_is_skipped_and_counted(service):
    reader, folder = service
    collect(folder, [[1, 2], [3], [4, 5, 6]])
    files = sorted((p for p in _local(folder).glob("model_inputs/*/*/*/*/*.parquet")))
    assert len(files) == 3
    files[1].write_bytes(files[1].read_bytes()[:40])  # as a crash mid-write on a store without rename would
    data = reader.read("shop", "blue", "model_inputs")
    assert data.table.column("x").to_pylist() == [1, 2, 4, 5, 6]
    assert data.files == 2 and data.skipped_files == [str(files[1])]
    preview = reader.preview("shop", "blue", "model_inputs", rows=2)
    assert preview["row_count"] == 5 and preview["skipped_files"] == [str(files[1])]
    assert [row["x"] for row in preview["rows"]] == [5, 6]
    outputs = reader.read("shop", "blue", "model_outputs")
    assert outputs.table.column("prediction").to_pylist() == [2, 4, 6, 8, 10, 12] and outputs.skipped_files == []


def test_a_window_keeps_the_rows_of_its_hours(service):
    reader, folder = service
    collect(folder, [[1, 2]])
    now = datetime.now(timezone.utc)
    assert reader.read("shop", "blue", "model_inputs", now - timedelta(minutes=5)).table.num_rows == 2
    assert reader.read("shop", "blue", "model_inputs", now + timedelta(seconds=1)).table.num_rows == 0
    empty = reader.read("shop", "blue", "model_inputs", end=now - timedelta(hours=2))
    assert empty.table.num_rows == 0 and empty.files == 0 and empty.table.column_names == ["correlationid", "timestamp"]


def test_names_that_are_not_collected_data_say_how_to_write_them(service):
    reader, _ = service
    with pytest.raises(InvalidInput, match="azureml:<endpoint>-<deployment>-model_inputs"):
        reader.read_named("azureml:shop-blue-inputs@latest")
    with pytest.raises(NotFound, match="'shop-blue'"):
        reader.read_named("azureml:shop-blue-model_inputs@latest")
    with pytest.raises(InvalidInput, match="model_inputs or model_outputs"):
        reader.read("shop", "blue", "labels")


def _local(uri: str):
    from pathlib import Path

    return Path(uri.removeprefix("file://"))
