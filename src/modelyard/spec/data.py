"""Shapes of data assets (datasets): parse settings, schema, versions and profiles."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec

DataType = Literal["uri_file", "uri_folder", "mltable"]
TabularFormat = Literal["csv", "tsv", "parquet", "jsonl"]
ColumnType = Literal["string", "integer", "decimal", "boolean", "datetime"]
HeaderMode = Literal["all_files_same_headers", "only_first_file_has_headers", "no_headers"]

QUANTILES: tuple[float, ...] = (0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999)


class ParseSettings(Spec):
    """The workshop's "Settings and preview" form. ``None`` means: detect from the file."""

    format: TabularFormat | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    header: HeaderMode = "all_files_same_headers"
    quote: str = '"'
    escape: str | None = None
    skip_rows: int = Field(0, ge=0)
    null_values: list[str] = Field(default_factory=lambda: [""], description="values read as missing")


class ColumnOverride(Spec):
    """A user's correction to the inferred schema of one column."""

    name: str
    type: ColumnType | None = None
    include: bool = True
    datetime_format: str | None = None


class ColumnSchema(Record):
    name: str
    type: ColumnType
    include: bool = True
    datetime_format: str | None = None
    invalid_as_missing: bool = Field(
        False, description="values that do not parse as the type are read as missing instead of refused: set "
        "when the type was inferred as the one most values parse as (see the profile's 'error' type count)")


class HistogramBin(Record):
    lower: float
    upper: float
    count: int


class ValueCount(Record):
    value: Any
    count: int


class ColumnProfile(Record):
    """Exactly the statistics of the workshop's data profile table, for one column."""

    name: str
    type: ColumnType
    type_counts: dict[str, int] = Field(
        description="how many values parse as each type; nulls are counted under 'null', and values that do not "
        "parse as the column's type under 'error'"
    )
    count: int
    non_missing: int
    missing: int
    errors: int = Field(0, description="non-missing values that do not parse as the column's type; every "
                        "statistic (distinct, min, max, moments, quantiles, histogram) is over the values that parse")
    distinct: int
    min: Any = None
    max: Any = None
    quantiles: dict[str, float] | None = Field(
        None, description="keyed by percent label: '0.1%', '1%', ..., '99.9%'"
    )
    quantiles_exact: bool | None = None
    mean: float | None = None
    std: float | None = None
    variance: float | None = None
    skewness: float | None = None
    kurtosis: float | None = None
    histogram: list[HistogramBin] | None = None
    value_counts: list[ValueCount] | None = None


class DataProfile(Record):
    rows: int
    columns: list[ColumnProfile]
    seconds: float
    computed_at: datetime


class DataAssetCreate(Spec):
    """A data asset YAML (``modelyard data create -f data.yml``) or its SDK/API equivalent."""

    schema_: str | None = Field(None, alias="$schema")
    name: Name
    version: int | None = Field(None, ge=1, description="omit to take the next free version")
    type: DataType = "uri_file"
    path: str | None = Field(None, description="local path, glob, folder, URL or modelyard://datastores/<name>/paths/<path>")
    datastore: str | None = Field(None, description="for SQL sources: the sql datastore to query")
    query: str | None = Field(None, description="for SQL sources: one SELECT or WITH statement")
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    parse: ParseSettings = Field(default_factory=ParseSettings)
    columns: list[ColumnOverride] = Field(default_factory=list)
    profile: bool = True
    force_new_version: bool = False


class DataSourcePreview(Spec):
    """A source and its settings, previewed before it is registered (the wizard's live preview)."""

    path: str | None = None
    datastore: str | None = None
    query: str | None = None
    parse: ParseSettings = Field(default_factory=ParseSettings)
    columns: list[ColumnOverride] = Field(default_factory=list)
    rows: int = Field(20, ge=1, le=1000)


class DataAsset(Record):
    name: str
    version: int
    type: DataType
    path: str
    source: str
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    parse: ParseSettings | None = None
    columns: list[ColumnSchema] | None = None
    content_hash: str
    size_bytes: int
    rows: int | None = None
    archived: bool = False
    created_at: datetime
    has_profile: bool = False


class DataAssetUpdate(Spec):
    description: str | None = None
    tags: dict[str, str] | None = None
    archived: bool | None = None
