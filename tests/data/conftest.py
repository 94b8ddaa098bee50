from __future__ import annotations

from pathlib import Path

import pytest

from modelyard.data import TabularSource
from modelyard.spec.data import ParseSettings


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text_or_bytes, encoding='utf-8') -> path of a new file under tmp_path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def source():
    """source(*paths, **parse_settings) -> TabularSource."""

    def _source(*paths: Path, **parse) -> TabularSource:
        return TabularSource(files=tuple(str(p) for p in paths), parse=ParseSettings(**parse))

    return _source
