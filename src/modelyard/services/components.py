"""Components: versioned, reusable command steps. Every rule about them lives here."""

from __future__ import annotations


from sqlalchemy import select

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one
from modelyard.services._versions import insert_version
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
        row = insert_version(self.context, ComponentRow, spec.name, spec.version, "component",
                             lambda version: {"spec": {**document, "version": version}, "description": spec.description})
        return self._record(row)

    def get(self, reference: str) -> Component:
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        if ref.label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{ref.label}' for component {ref.name!r}: only '@latest' is defined")
        query = select(ComponentRow).where(ComponentRow.name == ref.name)
        if ref.version is not None:
            query = query.where(ComponentRow.version == ref.version)
        return self._record(get_one(self.context, query.order_by(ComponentRow.version.desc()).limit(1),
                                    f"component {reference} not found; 'modelyard component list' shows the "
                                    "registered ones"))

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
