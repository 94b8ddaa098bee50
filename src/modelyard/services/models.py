"""The model registry: immutable model versions, aliases and lineage. Every rule about models lives here."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import func, select

from modelyard._snapshot import PREFIX as SNAPSHOT_PREFIX, unpack
from modelyard.errors import InvalidInput, NotFound
from modelyard.services import _data_sources as sources
from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services._versions import insert_version
from modelyard.services.compute import as_utc
from modelyard.services.events import emit
from modelyard.spec._common import AssetRef, check_name
from modelyard.spec.model import Model, ModelCreate, ModelUpdate
from modelyard.store import JobRow, ModelAliasRow, ModelRow

PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")


class ModelService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    # -- create -------------------------------------------------------------------------
    def create(self, spec: ModelCreate) -> Model:
        scratch = Path(tempfile.mkdtemp(prefix="model-", dir=self._scratch_root()))
        try:
            folder, lineage = self._fetch(spec.path, scratch)
            files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
            if not files:
                raise InvalidInput(f"path: {spec.path} holds no files")
            snapshot = sources.Snapshot(spec.path, files, sources._entries(files))
            kind, flavors, signature = self._describe(folder, files, spec.type)
            key = f"models/{snapshot.content_hash}"
            self.context.artifacts.put_files(files, key)
            try:
                row = self._insert(spec, dict(
                    type=kind, key=key, source=spec.path, description=spec.description, tags=spec.tags,
                    properties=spec.properties, sha256=snapshot.content_hash, size_bytes=snapshot.size,
                    files=[e.as_dict() for e in snapshot.entries], flavors=flavors, signature=signature,
                    lineage=lineage))
            except BaseException:
                with self.context.session() as session:
                    in_use = session.scalar(select(func.count()).where(ModelRow.key == key))
                if not in_use:
                    self.context.artifacts.delete(key)
                raise
            return self._record(row)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _scratch_root(self) -> Path:
        root = self.context.cache_dir
        root.mkdir(parents=True, exist_ok=True)
        return root

    def _fetch(self, path: str, scratch: Path) -> tuple[Path, dict[str, Any]]:
        """The model's files in a local folder, and what they came from."""
        if path.startswith("runs:/"):
            return self._from_run(path, scratch)
        if path.startswith(("job:", "azureml://jobs/")):
            job, _, output = path.removeprefix("job:").removeprefix("azureml://jobs/").partition("/outputs/")
            if not output.strip("/"):
                return self._from_job_model(job.strip("/"), scratch)
            return self._from_job_output(job, output.strip("/"), scratch)
        if path.startswith(SNAPSHOT_PREFIX):
            from modelyard.services.jobs import snapshot_key

            if not self.context.artifacts.exists(snapshot_key(path)):
                raise InvalidInput(f"path: snapshot {path.removeprefix(SNAPSHOT_PREFIX)[:12]}… is not on the server")
            with self.context.artifacts.open(snapshot_key(path)) as source, (scratch / "upload.tar.gz").open("wb") as out:
                shutil.copyfileobj(source, out)
            unpack(scratch / "upload.tar.gz", scratch / "model")
            (scratch / "upload.tar.gz").unlink()
            return scratch / "model", {}
        local = Path(path).expanduser()
        if not local.exists():
            raise InvalidInput(f"path: {path} does not exist")
        target = scratch / "model"
        if local.is_file():
            target.mkdir()
            shutil.copy2(local, target / local.name)
        else:
            shutil.copytree(local, target, symlinks=False)
        return target, {}

    def _from_run(self, uri: str, scratch: Path) -> tuple[Path, dict[str, Any]]:
        from modelyard.services._tracking import tracking_client

        run_id, _, artifact = uri.removeprefix("runs:/").partition("/")
        client = tracking_client(self.context.location)
        try:
            run = client.get_run(run_id)
            local = Path(client.download_artifacts(run_id, artifact or "model", str(scratch)))
        except Exception as error:
            raise InvalidInput(f"path: cannot read {uri}: {str(error).splitlines()[0]}") from None
        if local.is_file():  # one logged file (a pickle): a model folder holding it, as for a local file
            (scratch / "model").mkdir()
            local = Path(local.rename(scratch / "model" / local.name)).parent
        lineage = {"mlflow_run_id": run_id, "metrics": dict(run.data.metrics),
                   "job": run.data.tags.get("modelyard.job")}
        if lineage["job"]:
            lineage.update(self._job_lineage(lineage["job"]))
        return local, lineage

    def _job_row(self, job: str) -> JobRow:
        with self.context.session() as session:
            row = session.scalar(select(JobRow).where(JobRow.name == job))
        if row is None:
            raise InvalidInput(f"path: job '{job}' not found")
        return row

    def _from_job_model(self, job: str, scratch: Path) -> tuple[Path, dict[str, Any]]:
        """``job:<job>`` with no output: an AutoML run's best model, or a trial's (refit) model."""
        row = self._job_row(job)
        properties = row.properties or {}
        uri = properties.get("best_model_uri") or properties.get("model_uri")
        if uri:
            folder, lineage = self._from_run(uri, scratch)
            return folder, {**lineage, "automl_job": job}
        if row.type == "automl":
            raise InvalidInput(f"path: AutoML job '{job}' has no best model yet (status {row.status}); its best "
                               "model is logged when it ends Completed: wait with 'modelyard job stream "
                               f"{job}', then register job:{job}")
        if row.parent and self._job_row(row.parent).type == "automl":
            raise InvalidInput(f"path: trial '{job}' has no model: refit it first ('modelyard job refit {job}' or "
                               "the studio's Deploy button), or register its AutoML job's best model: "
                               f"job:{row.parent}")
        outputs = ", ".join(row.outputs or {}) or "none"
        raise InvalidInput(f"path: job '{job}' is not an AutoML job; name one of its outputs: "
                           f"job:{job}/outputs/<output> (outputs: {outputs})")

    def _from_job_output(self, job: str, output: str, scratch: Path) -> tuple[Path, dict[str, Any]]:
        row = self._job_row(job)
        if output not in (row.outputs or {}):
            raise InvalidInput(f"path: job '{job}' has no output '{output}' (outputs: {', '.join(row.outputs) or 'none'})")
        prefix = row.outputs[output]["key"]
        target = scratch / "model"
        for key in self.context.artifacts.list(prefix):
            destination = target / key[len(prefix):].lstrip("/")
            destination.parent.mkdir(parents=True, exist_ok=True)
            with self.context.artifacts.open(key) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)
        return target, {"job": job, "output": output, **self._job_lineage(job)}

    def _job_lineage(self, job: str) -> dict[str, Any]:
        """The data versions a job read, and its metrics, for the model's lineage."""
        from modelyard.services.jobs import JobService

        try:
            record = JobService(self.context).get(job)
        except NotFound:
            return {}
        spec = record.spec.model_dump(mode="json")
        values = list((spec.get("inputs") or {}).values()) + [spec.get("training_data"), spec.get("validation_data")]
        data = sorted({v["path"].removeprefix("data:") for v in values
                       if isinstance(v, dict) and str(v.get("path", "")).startswith("data:")})
        found = {"data": data, "job_type": record.type, "experiment": record.experiment_name}
        if record.properties.get("environment"):  # the registered environment (name:version) it ran in
            found["environment"] = record.properties["environment"]
        if record.parent:  # an AutoML trial or a pipeline step: the data came in through its parent
            parent = self._job_lineage(record.parent)
            found.update(parent_job=record.parent, data=sorted(set(data) | set(parent.get("data", []))))
        return found

    @staticmethod
    def _describe(folder: Path, files: dict[str, Path], wanted: str | None) -> tuple[str, list[str], dict | None]:
        mlmodel = folder / "MLmodel"
        if mlmodel.is_file():
            import yaml

            document = yaml.safe_load(mlmodel.read_text()) or {}
            if wanted == "custom_model":
                return "custom_model", list(document.get("flavors", {})), document.get("signature")
            return "mlflow_model", sorted(document.get("flavors", {})), document.get("signature")
        if wanted == "mlflow_model":
            raise InvalidInput("type mlflow_model needs an MLmodel file in the model folder")
        if not any(name.endswith(PICKLE_SUFFIXES) for name in files):
            raise InvalidInput("path holds neither an MLflow model (MLmodel file) nor a pickled model "
                               f"({', '.join(PICKLE_SUFFIXES)})")
        return "custom_model", [], None

    def _insert(self, spec: ModelCreate, fields: dict[str, Any]) -> ModelRow:
        def same_content(session) -> ModelRow | None:  # registering the same files again answers that version
            return session.scalar(select(ModelRow).where(
                ModelRow.name == spec.name, ModelRow.sha256 == fields["sha256"], ModelRow.type == fields["type"],
                ModelRow.archived.is_(False)).order_by(ModelRow.version.desc()).limit(1))

        existing = None if spec.force_new_version or spec.version else same_content
        return insert_version(self.context, ModelRow, spec.name, spec.version, "model",
                              lambda _: {"archived": False, **fields}, existing,
                              lambda session, row: emit(session, "model.registered", f"{row.name}:{row.version}", {
                                  "name": row.name, "version": row.version, "type": row.type,
                                  "source": row.source, "sha256": row.sha256}))

    # -- read ---------------------------------------------------------------------------
    def get(self, reference: str, version: int | None = None) -> Model:
        return self._record(self.get_row(reference, version))

    def get_row(self, reference: str, version: int | None = None) -> ModelRow:
        ref = AssetRef.parse(reference.removeprefix("azureml:")) if version is None else \
            AssetRef(name=check_name(reference), version=version)
        query = select(ModelRow).where(ModelRow.name == ref.name)
        if ref.version is not None:
            query = query.where(ModelRow.version == ref.version)
        elif ref.label in (None, "latest"):
            query = query.where(ModelRow.archived.is_(False)).order_by(ModelRow.version.desc()).limit(1)
        else:
            pinned = get_one(self.context, select(ModelAliasRow.version).where(
                ModelAliasRow.name == ref.name, ModelAliasRow.alias == ref.label),
                f"model {ref.name} has no alias '@{ref.label}'")
            query = query.where(ModelRow.version == pinned)
        return get_one(self.context, query, f"model {reference}{'' if version is None else ':' + str(version)} "
                                            "not found; 'modelyard model list' shows the registered ones")

    def list(self, name: str | None = None, include_archived: bool = False) -> list[Model]:
        with self.context.session() as session:
            query = select(ModelRow)
            if not include_archived:
                query = query.where(ModelRow.archived.is_(False))
            if name:
                rows = list(session.scalars(query.where(ModelRow.name == name).order_by(ModelRow.version.desc())))
            else:
                latest = {}
                for row in session.scalars(query.order_by(ModelRow.name, ModelRow.version)):
                    latest[row.name] = row
                rows = list(latest.values())
        return [self._record(row) for row in rows]

    def update(self, name: str, version: int, change: ModelUpdate) -> Model:
        with self.context.session() as session:
            row = one_or_not_found(session, select(ModelRow).where(ModelRow.name == name, ModelRow.version == version),
                                   f"model {name}:{version} not found; 'modelyard model list' shows them")
            for field in ("description", "tags", "archived"):
                value = getattr(change, field)
                if value is not None:
                    setattr(row, field, value)
            for alias in change.set_aliases:
                if alias == "latest":
                    raise InvalidInput("'latest' always means the newest version; pick another alias name")
                existing = session.scalar(select(ModelAliasRow).where(ModelAliasRow.name == name,
                                                                      ModelAliasRow.alias == alias))
                if existing:
                    existing.version = version
                else:
                    session.add(ModelAliasRow(name=name, alias=alias, version=version))
                emit(session, "model.aliased", f"{name}:{version}", {"name": name, "version": version, "alias": alias})
            for alias in change.remove_aliases:
                existing = session.scalar(select(ModelAliasRow).where(ModelAliasRow.name == name,
                                                                      ModelAliasRow.alias == alias))
                if existing is None or existing.version != version:
                    raise NotFound(f"model {name}:{version} has no alias '@{alias}'")
                session.delete(existing)
        return self.get(name, version)

    def files(self, reference: str, version: int | None = None) -> list[dict[str, Any]]:
        """The version's files: name, size and sha256 of each."""
        return self.get_row(reference, version).files

    def open_file(self, reference: str, file_name: str, version: int | None = None):
        """One of the version's files, opened for reading from the artifact store."""
        row = self.get_row(reference, version)
        if file_name not in {entry["name"] for entry in row.files}:
            raise NotFound(f"model {row.name}:{row.version} has no file {file_name!r}; "
                           f"GET /api/models/{row.name}/versions/{row.version}/files lists them")
        return self.context.artifacts.open(f"{row.key}/{file_name}")

    @contextmanager
    def local_folder(self, reference: str, version: int | None = None) -> Iterator[Path]:
        """The version's files in a local folder, each checked against its recorded sha256 first."""
        row = self.get_row(reference, version)
        scratch = Path(tempfile.mkdtemp(prefix="model-", dir=self._scratch_root()))
        try:
            for entry in row.files:
                destination = scratch / entry["name"]
                destination.parent.mkdir(parents=True, exist_ok=True)
                with self.context.artifacts.open(f"{row.key}/{entry['name']}") as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out)
            snapshot = sources.Snapshot(row.source, {e["name"]: scratch / e["name"] for e in row.files},
                                        sources._entries({e["name"]: scratch / e["name"] for e in row.files}))
            sources.verify(snapshot, row.files, f"model {row.name}:{row.version}")
            yield scratch
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _aliases(self, name: str, version: int) -> list[str]:
        with self.context.session() as session:
            return sorted(session.scalars(select(ModelAliasRow.alias).where(ModelAliasRow.name == name,
                                                                            ModelAliasRow.version == version)))

    def _record(self, row: ModelRow) -> Model:
        return Model(name=row.name, version=row.version, type=row.type, path=self.context.artifacts.uri(row.key),
                     source=row.source, description=row.description, tags=row.tags or {},
                     properties=row.properties or {}, aliases=self._aliases(row.name, row.version),
                     sha256=row.sha256, size_bytes=row.size_bytes, flavors=row.flavors or [],
                     signature=row.signature, lineage=row.lineage or {}, archived=row.archived,
                     created_at=as_utc(row.created_at))
