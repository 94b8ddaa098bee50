"""Cohorts of a model version: saved filters (column, operator, value; all or any of them), and the version's
metrics on each cohort of a labelled data asset beside its metrics on the whole of it.

A filter is checked when it is saved, against the columns of the model's signature (a column it does not read,
a value of the wrong type: 400 naming it), and again against the data when metrics are computed. Metrics are
computed on request (``compare``), by loading the model and the data here, as a model comparison does.
"""

from __future__ import annotations

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services._rows import one_or_not_found
from modelyard.services.compute import as_utc
from modelyard.services.model_analyses import ModelAnalysisService, signature_columns
from modelyard.services.model_comparisons import ModelComparisonService
from modelyard.services.models import ModelService
from modelyard.spec.cohort import (Cohort, CohortComparison, CohortComparisonRequest, CohortCreate, CohortFilter,
                                   CohortMetrics)
from modelyard.store import CohortRow, ModelRow

WHOLE = "all rows"


class CohortService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.models = ModelService(context)

    def create(self, reference: str, spec: CohortCreate) -> Cohort:
        from modelyard.explain._cohorts import check_filter

        model = self.models.get_row(reference)
        where = f"model {model.name}:{model.version}"
        columns = {c["name"]: c.get("type") for c in signature_columns(model)}
        for f in spec.filters:
            if columns and f.column not in columns:
                raise InvalidInput(f"filter column {f.column!r} is not one that {where} reads; its columns are "
                                   f"{', '.join(columns)}")
            check_filter(f.column, f.operator, f.value, columns.get(f.column), f"{where}'s signature")
        with self.context.session() as session:
            if session.scalars(self._query(model, spec.name)).first() is not None:
                raise Conflict(f"{where} has a cohort named '{spec.name}' already; pick another name or delete it")
            row = CohortRow(model_name=model.name, model_version=model.version, name=spec.name,
                            description=spec.description, combine=spec.combine,
                            filters=[f.model_dump(mode="json") for f in spec.filters])
            session.add(row)
            session.flush()
            return self._record(row)

    def get(self, reference: str, name: str) -> Cohort:
        model = self.models.get_row(reference)
        with self.context.session() as session:
            return self._record(one_or_not_found(session, self._query(model, name), self._missing(model, name)))

    def list(self, reference: str) -> list[Cohort]:
        model = self.models.get_row(reference)
        with self.context.session() as session:
            rows = session.scalars(select(CohortRow).where(CohortRow.model_name == model.name,
                                                           CohortRow.model_version == model.version)
                                   .order_by(CohortRow.name))
            return [self._record(row) for row in rows]

    def delete(self, reference: str, name: str) -> None:
        model = self.models.get_row(reference)
        with self.context.session() as session:
            session.delete(one_or_not_found(session, self._query(model, name), self._missing(model, name)))

    def compare(self, reference: str, request: CohortComparisonRequest) -> CohortComparison:
        """The version's metrics on the whole data and on each cohort (all of them, or those named)."""
        from modelyard.explain._cohorts import cohort_mask, cohort_metrics

        model = self.models.get_row(reference)
        saved = {c.name: c for c in self.list(reference)}
        names = request.cohorts if request.cohorts is not None else list(saved)
        unknown = [n for n in names if n not in saved]
        if unknown:
            raise InvalidInput(f"model {model.name}:{model.version} has no cohort(s) {', '.join(map(repr, unknown))}; "
                               f"its cohorts are {', '.join(saved) or 'none yet'}")
        target = request.target or ModelAnalysisService(self.context).trained_target(model)
        if target is None:
            raise InvalidInput(f"name the label column (target, --target): model {model.name}:{model.version} does "
                               "not come from an AutoML job that would say it")
        comparisons = ModelComparisonService(self.context)
        frame, data = comparisons.labelled_frame(request.data)
        if target not in frame.columns:
            raise InvalidInput(f"target column {target!r} is not in data asset {data}; its columns are "
                               f"{', '.join(map(str, frame.columns))}")
        masks = {n: cohort_mask(frame, saved[n].filters, saved[n].combine) for n in names}  # bad filters: 400 first
        fitted = comparisons.fitted(model)
        total, metrics = cohort_metrics(fitted, frame, target=target)
        cohorts = []
        for name, mask in masks.items():
            rows, found = cohort_metrics(fitted, frame, target=target, mask=mask)
            cohorts.append(CohortMetrics(name=name, rows=rows, share=rows / total, metrics=found))
        return CohortComparison(model=f"{model.name}:{model.version}", data=data, target=target,
                                whole=CohortMetrics(name=WHOLE, rows=total, share=1.0, metrics=metrics),
                                cohorts=cohorts)

    @staticmethod
    def _query(model: ModelRow, name: str):
        return select(CohortRow).where(CohortRow.model_name == model.name, CohortRow.model_version == model.version,
                                       CohortRow.name == name)

    @staticmethod
    def _missing(model: ModelRow, name: str) -> str:
        return (f"model {model.name}:{model.version} has no cohort '{name}' "
                f"(modelyard model cohort list {model.name}:{model.version})")

    @staticmethod
    def _record(row: CohortRow) -> Cohort:
        return Cohort(name=row.name, model=f"{row.model_name}:{row.model_version}", description=row.description,
                      filters=[CohortFilter.model_validate(f) for f in row.filters], combine=row.combine,
                      created_at=as_utc(row.created_at))
