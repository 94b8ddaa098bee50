"""Finding, creating and reading workspaces (the ``.modelyard`` folder)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from modelyard._owner_only import private_file, private_folder, private_sqlite, tighten
from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.spec.workspace import WorkspaceConfig

FOLDER = ".modelyard"
CONFIG_FILE = "workspace.yaml"
TOKEN_FILE = "token"
SERVER_FILE = "server.json"


@dataclass(frozen=True)
class WorkspaceLocation:
    """A workspace on disk: its root folder and parsed configuration."""

    root: Path
    config: WorkspaceConfig

    @property
    def folder(self) -> Path:
        return self.root / FOLDER

    def _absolute_sqlite(self, url: str) -> str:
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            relative = url.removeprefix("sqlite:///")
            return f"sqlite:///{(self.folder / relative).resolve()}"
        return url

    @property
    def database_url(self) -> str:
        return self._absolute_sqlite(self.config.database)

    @property
    def tracking_uri(self) -> str:
        return self._absolute_sqlite(self.config.tracking_uri)

    @property
    def artifact_root(self) -> str:
        root = self.config.artifact_root
        if "://" in root or Path(root).is_absolute():
            return root
        return str((self.folder / root).resolve())

    @property
    def server_file(self) -> Path:
        return self.folder / SERVER_FILE

    def protect(self) -> None:
        """The workspace folder, everything directly in it and its tracking database (MLflow creates it)
        made owner-only: permissions are taken away, never added."""
        private_folder(self.folder)
        for entry in self.folder.iterdir():
            tighten(entry)
        private_sqlite(self.tracking_uri, create=False)

    def token(self, create: bool = False) -> str | None:
        """The workspace's API access token; generated on first need when ``create``.

        None when there is no token file (and not ``create``); a file that is empty or cannot be
        read is an error, never "no token".
        """
        path = self.folder / TOKEN_FILE
        try:
            token = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            if not create:
                return None
            _write_token(path)
            return self.token()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "it is not plain text"
            raise InvalidInput(f"cannot read the access token {path}: {reason}; fix its permissions, or delete "
                               "it and start the server again to make a new one") from None
        if not token:
            raise InvalidInput(f"the access token file {path} is empty; delete it and start the server again "
                               "to make a new one")
        return token


def _write_token(path: Path) -> None:
    """A new token in ``path``, which appears complete or not at all (owner-only, on disk before it is seen)."""
    import tempfile

    token = secrets.token_urlsafe(32)
    descriptor, temporary = tempfile.mkstemp(prefix=".token-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # unlike a rename, never replaces a token another process just made
        except FileExistsError:
            return
    finally:
        os.unlink(temporary)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load(root: Path) -> WorkspaceLocation:
    import yaml
    from pydantic import ValidationError

    config_path = root / FOLDER / CONFIG_FILE
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        config = WorkspaceConfig.model_validate(raw)
    except FileNotFoundError:
        raise NotFound(f"no workspace at {root}: {config_path} is missing") from None
    except (yaml.YAMLError, ValidationError) as error:
        raise InvalidInput(f"{config_path} is not a valid workspace file: {error}") from None
    return WorkspaceLocation(root=root.resolve(), config=config)


def find(start: Path | None = None, explicit: str | Path | None = None) -> WorkspaceLocation:
    """The workspace named explicitly, else by MODELYARD_WORKSPACE, else found upward from ``start``."""
    chosen = explicit or os.environ.get("MODELYARD_WORKSPACE")
    if chosen:
        return load(Path(chosen).expanduser().resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / FOLDER / CONFIG_FILE).exists():
            return load(folder)
    raise NotFound(
        f"no workspace found in {here} or any folder above it: point at one with MODELYARD_WORKSPACE=<folder> "
        "or 'modelyard --workspace <folder> ...' (-w), cd into it, or create one with "
        "'modelyard workspace create <folder>'"
    )


def create(root: Path, name: str | None = None, database: str | None = None,
           artifact_root: str | None = None) -> WorkspaceLocation:
    import yaml

    root = root.expanduser().resolve()
    config_path = root / FOLDER / CONFIG_FILE
    if config_path.exists():
        raise Conflict(f"a workspace already exists at {root}")
    fields = {"name": name or root.name or "workspace"}
    if database:
        fields["database"] = database
    if artifact_root:
        fields["artifact_root"] = artifact_root
    from pydantic import ValidationError

    try:
        config = WorkspaceConfig.model_validate(fields)
    except ValidationError as error:
        raise InvalidInput(f"invalid workspace settings: {error.errors()[0]['msg']}") from None
    private_folder(root / FOLDER)
    document = config.model_dump(mode="json", by_alias=True, exclude_none=True)
    temporary = private_file(config_path.with_suffix(".tmp"))
    temporary.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    temporary.rename(config_path)
    (root / FOLDER / ".gitignore").write_text("*\n")
    return WorkspaceLocation(root=root, config=config)
