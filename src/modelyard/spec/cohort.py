"""Shapes of cohorts: saved filters over a model version's data, whose metrics are compared to the whole."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Union

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec

Operator = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
Scalar = Union[bool, int, float, str]


class CohortFilter(Spec):
    """One condition on a column, e.g. ``{"column": "Age", "operator": "<", "value": 30}``."""

    column: str
    operator: Operator
    value: Union[Scalar, list[Scalar]] = Field(description="a value; a list for 'in' and 'not in'")


class CohortCreate(Spec):
    name: Name
    description: str | None = None
    filters: list[CohortFilter] = Field(min_length=1)
    combine: Literal["and", "or"] = Field("and", description="a row is in the cohort when all (and) or any (or) "
                                                            "filter holds")


class Cohort(Record):
    name: str
    model: str = Field(description="name:version the cohort belongs to")
    description: str | None = None
    filters: list[CohortFilter]
    combine: Literal["and", "or"]
    created_at: datetime


class CohortMetrics(Record):
    name: str = Field(description="the cohort's name; 'all rows' for the whole data")
    rows: int
    share: float = Field(description="rows / rows of the whole data")
    metrics: dict[str, float] = Field(description="the model's metrics on these rows (AutoML's); empty without rows")


class CohortComparison(Record):
    model: str
    data: str
    target: str
    whole: CohortMetrics
    cohorts: list[CohortMetrics]


class CohortComparisonRequest(Spec):
    data: str = Field(description="an mltable data asset with the true labels: name, name:3, name@latest")
    target: str | None = Field(None, description="the label column; default: the AutoML job's target")
    cohorts: list[str] | None = Field(None, description="the cohorts to compare; default: all of the version's")
