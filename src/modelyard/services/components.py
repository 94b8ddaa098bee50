"""Components: versioned, reusable command steps. Every rule about them lives here."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services.compute import as_utc
from modelyard.spec._common import AssetRef
from modelyard.spec.component import Component, ComponentCreate
from modelyard.store import ComponentRow


class ComponentService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: ComponentCreate) -> Component:
        from modelyard.services.jobs import JobService

        JobService(self.context).check_snapshot(spec.code, "code")
        document = spec.model_dump(mode="json", by_alias=True, exclude={"schema_"})
        for _ in range(20):
            try:
                with self.context.session() as session:
                    latest = session.scalar(select(func.max(ComponentRow.version)).where(ComponentRow.name == spec.name))
                    version = spec.version or (latest or 0) + 1
                    row = ComponentRow(name=spec.name, version=version, spec={**document, "version": version},
                                       description=spec.description)
                    session.add(row)
                return self._record(row)
            except IntegrityError:
                if spec.version:
                    raise Conflict(f"component {spec.name}:{spec.version} exists already; versions are immutable") from None
                time.sleep(0.01)
        raise Conflict(f"could not allocate a version of component {spec.name!r}")

    def get(self, reference: str) -> Component:
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        if ref.label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{ref.label}' for component {ref.name!r}: only '@latest' is defined")
        with self.context.session() as session:
            query = select(ComponentRow).where(ComponentRow.name == ref.name)
            if ref.version is not None:
                query = query.where(ComponentRow.version == ref.version)
            row = session.scalar(query.order_by(ComponentRow.version.desc()).limit(1))
        if row is None:
            raise NotFound(f"component {reference} not found; 'modelyard component list' shows the registered ones")
        return self._record(row)

    def list(self, name: str | None = None) -> list[Component]:
        with self.context.session() as session:
            query = select(ComponentRow)
            if name:
                query = query.where(ComponentRow.name == name)
            rows = session.scalars(query.order_by(ComponentRow.name, ComponentRow.version.desc()))
            return [self._record(row) for row in rows]

    @staticmethod
    def _record(row: ComponentRow) -> Component:
        return Component(name=row.name, version=row.version, display_name=row.spec.get("display_name"),
                         description=row.description, spec=row.spec, created_at=as_utc(row.created_at))
