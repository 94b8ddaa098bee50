"""Components: versioned, reusable command steps, and the Designer's built-in modules, which are
read-only components present in every workspace. Every rule about them lives here."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one
from modelyard.services._versions import insert_version
from modelyard.services.compute import as_utc
from modelyard.spec._common import AssetRef
from modelyard.spec.component import Component, ComponentCreate
from modelyard.spec.designer import ModuleSpec, module_id
from modelyard.store import ComponentRow

# a built-in module has one version: the one this installation of modelyard ships
BUILTIN_VERSION = 1


def builtin_modules() -> dict[str, ModuleSpec]:
    from modelyard.designer import catalogue

    return {spec.id: spec for spec in catalogue()}


def _builtin_record(spec: ModuleSpec) -> Component:
    import modelyard.designer

    shipped = datetime.fromtimestamp(Path(modelyard.designer.__file__).stat().st_mtime, timezone.utc)
    return Component(name=spec.id, version=BUILTIN_VERSION, display_name=spec.display_name,
                     description=spec.description, spec=spec.model_dump(mode="json"), created_at=shipped,
                     builtin=True, category=spec.category)


class ComponentService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: ComponentCreate) -> Component:
        from modelyard.services.jobs import JobService

        if spec.name in builtin_modules():
            raise Conflict(f"component name '{spec.name}' belongs to a built-in Designer module, which is read-only; "
                           "register yours under another name")
        JobService(self.context).check_snapshot(spec.code, "code")
        document = spec.model_dump(mode="json", by_alias=True, exclude={"schema_"})
        row = insert_version(self.context, ComponentRow, spec.name, spec.version, "component",
                             lambda version: {"spec": {**document, "version": version}, "description": spec.description})
        return self._record(row)

    def get(self, reference: str) -> Component:
        """A component by ``name``, ``name:3``, ``name@latest`` or ``azureml:`` reference; a built-in
        module also by its ``azureml://registries/azureml/components/<id>/...`` reference."""
        builtin = self._builtin(reference)
        if builtin is not None:
            return builtin
        ref = AssetRef.parse(reference.removeprefix("azureml:"))
        if ref.label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{ref.label}' for component {ref.name!r}: only '@latest' is defined")
        query = select(ComponentRow).where(ComponentRow.name == ref.name)
        if ref.version is not None:
            query = query.where(ComponentRow.version == ref.version)
        return self._record(get_one(self.context, query.order_by(ComponentRow.version.desc()).limit(1),
                                    f"component {reference} not found; 'modelyard component list' shows the "
                                    "registered ones"))

    def builtin(self) -> list[Component]:
        """Every built-in Designer module as a read-only component, by category then display name."""
        return [_builtin_record(spec) for spec in builtin_modules().values()]

    def delete(self, reference: str) -> None:
        if self._builtin(reference) is not None:
            raise InvalidInput(f"component '{reference}' is a built-in Designer module; built-ins are read-only and "
                               "cannot be deleted")
        raise InvalidInput(f"component '{reference}' cannot be deleted: registered component versions are "
                           "immutable, since jobs and pipelines refer to them")

    def _builtin(self, reference: str) -> Component | None:
        modules = builtin_modules()
        if reference.startswith("azureml://"):
            name, version = module_id(reference), None
            if name not in modules:
                raise NotFound(f"no built-in module '{name}'; `modelyard component list --builtin` lists them")
        else:
            ref = AssetRef.parse(reference.removeprefix("azureml:"))
            name, version = ref.name, ref.version
        if name not in modules:
            return None
        if version not in (None, BUILTIN_VERSION):
            raise NotFound(f"built-in module '{name}' has version {BUILTIN_VERSION} only; use {name}:"
                           f"{BUILTIN_VERSION} or {name}")
        return _builtin_record(modules[name])

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
