"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE_DATA = REPO_ROOT.parent / "shared" / "data" / "HR-Employee-Attrition.csv"


@pytest.fixture(scope="session")
def hr_csv() -> Path:
    """The IBM HR attrition CSV (UTF-8 with BOM, 1470 rows, 35 columns, target ``Attrition``).

    Found through ``MODELYARD_SAMPLE_DATA`` (a path to the CSV), else ``<repo>/../shared/data``.
    """
    path = Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_SAMPLE_DATA)
    if not path.is_file():
        pytest.fail(
            f"sample data {path} is missing: set MODELYARD_SAMPLE_DATA to the path of "
            "HR-Employee-Attrition.csv",
            pytrace=False,
        )
    return path
