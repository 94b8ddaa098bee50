"""Fixtures that start real servers on loopback: the workspace server, S3, HTTP, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """``modelyard ARGS`` in a subprocess, as a user types it."""
    return subprocess.run([sys.executable, "-m", "modelyard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {}), "COLUMNS": "200"})


@contextmanager
def workspace_server(root: Path, name: str, settings: dict | None = None):
    """A new workspace at ``root`` with its server running on a free loopback port: (server info, SDK
    Workspace over HTTP). ``settings`` are sections added to its workspace.yaml before the server starts.
    MODELYARD_WORKSPACE is unset meanwhile, so nothing else is found instead."""
    import yaml

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.create(root, name=name)
    if settings:
        config = location.folder / workspaces.CONFIG_FILE
        config.write_text(yaml.safe_dump({**yaml.safe_load(config.read_text()), **settings}))
        location = workspaces.load(root)
    previous = os.environ.pop("MODELYARD_WORKSPACE", None)
    info = servers.start_detached(location, "127.0.0.1", 0)
    ws = Workspace(root)
    try:
        yield info, ws
    finally:
        ws.close()
        servers.stop(location)
        if previous is not None:
            os.environ["MODELYARD_WORKSPACE"] = previous


@pytest.fixture
def server(workspace_root: Path):
    """A real workspace server process on a free loopback port (``modelyard up --detach --port 0``)."""
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0)
    try:
        yield info
    finally:
        servers.stop(location)


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory):
    """One real server on a fresh workspace for a module's tests that leave it as they found it (refusals,
    404s, the OpenAPI document): a server start for the module, not for each test."""
    root = tmp_path_factory.mktemp("read-only") / "ws"
    with workspace_server(root, "read-only") as (info, _):
        yield info


# -- helpers shared by the S3, HTTP and PostgreSQL fixtures ------------------------------------

import glob as _glob
import shutil as _shutil
import socket as _socket
import tempfile as _tempfile
import time as _time
import uuid as _uuid
from dataclasses import dataclass as _dataclass

LOOPBACK = "127.0.0.1"
SERVER_START_TIMEOUT = 180.0  # a loaded machine starts moto and Postgres slowly; a live one answers at once


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = SERVER_START_TIMEOUT) -> None:
    """Return once something accepts connections on 127.0.0.1:port; fail after ``timeout`` seconds."""
    deadline = _time.monotonic() + timeout
    while _time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"server on port {port} exited with {process.returncode}: {output}")
        try:
            with _socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            _time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {LOOPBACK}:{port} after {timeout:.0f}s")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    if process.stdout:
        process.stdout.close()


# -- S3: a real moto server process --------------------------------------------------------------

@_dataclass(frozen=True)
class S3Endpoint:
    url: str
    bucket: str
    access_key_id: str = "testing-key"
    secret_access_key: str = "testing-secret-do-not-print"
    region: str = "us-east-1"

    def filesystem(self):
        import s3fs

        return s3fs.S3FileSystem(key=self.access_key_id, secret=self.secret_access_key, skip_instance_cache=True,
                                 client_kwargs={"endpoint_url": self.url, "region_name": self.region})

    def datastore_fields(self, **extra) -> dict:
        return dict(type="s3", bucket=self.bucket, endpoint_url=self.url, region=self.region,
                    access_key_id=self.access_key_id, secret_access_key=self.secret_access_key, **extra)


def start_moto(port: int | None = None) -> tuple[subprocess.Popen, str]:
    """``python -m moto.server`` on 127.0.0.1; the process and its endpoint URL."""
    port = port or free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, process)
    except BaseException:
        stop_process(process)
        raise
    return process, f"http://{LOOPBACK}:{port}"


@pytest.fixture(scope="session")
def s3_endpoint():
    """A moto S3 server on a free loopback port, with one empty bucket; dummy credentials."""
    process, url = start_moto()
    try:
        endpoint = S3Endpoint(url=url, bucket="modelyard-test")
        import boto3

        boto3.client("s3", endpoint_url=url, region_name=endpoint.region, aws_access_key_id=endpoint.access_key_id,
                     aws_secret_access_key=endpoint.secret_access_key).create_bucket(Bucket=endpoint.bucket)
        yield endpoint
    finally:
        stop_process(process)


# -- HTTP: a static file server over a temporary folder -------------------------------------------

@pytest.fixture(scope="session")
def http_files(tmp_path_factory):
    """``python -m http.server`` on a free loopback port serving a fresh folder: (base_url, folder)."""
    folder = tmp_path_factory.mktemp("http-files")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", LOOPBACK, str(port),
                                "--directory", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, process)
        yield f"http://{LOOPBACK}:{port}", folder
    finally:
        stop_process(process)


METADATA_ADDRESS = "http://169.254.169.254/latest/meta-data.csv"  # a cloud's link-local metadata service


@contextmanager
def redirecting_file_server(folder: Path):
    """``folder`` served over HTTP in this process on a free loopback port, where ``/metadata.csv`` redirects to
    ``METADATA_ADDRESS`` (what a URL data source must refuse to follow): its base URL."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def redirected(self) -> bool:
            if self.path.rsplit("/", 1)[-1] != "metadata.csv":
                return False
            self.send_response(302)
            self.send_header("Location", METADATA_ADDRESS)
            self.end_headers()
            return True

        def do_GET(self):
            if not self.redirected():
                super().do_GET()

        def do_HEAD(self):
            if not self.redirected():
                super().do_HEAD()

    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# -- PostgreSQL: a real server for the session -----------------------------------------------------

@_dataclass(frozen=True)
class PostgresServer:
    port: int
    folder: Path

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql+psycopg://{auth}@{LOOPBACK}:{self.port}/{database}"

    def execute(self, *statements: str, database: str = "postgres") -> list:
        """Run statements as the superuser (autocommit); the rows of the last one, if any."""
        import psycopg

        with psycopg.connect(host=LOOPBACK, port=self.port, user="postgres", dbname=database,
                             autocommit=True, connect_timeout=10) as connection:
            rows: list = []
            for statement in statements:
                cursor = connection.execute(statement)
                rows = cursor.fetchall() if cursor.description else []
            return rows

    def create_database(self, prefix: str = "modelyard") -> str:
        """A new empty database; its SQLAlchemy URL (superuser, trust auth)."""
        name = f"{prefix}_{_uuid.uuid4().hex[:10]}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _postgres_binaries() -> Path | None:
    initdb = _shutil.which("initdb")
    if initdb and _shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(_glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on 127.0.0.1 at a free port, data and socket in a temporary folder.

    The superuser ``postgres`` is trusted; every other role must give its password (scram), so
    tests can check that passwords work and are never printed.
    """
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed: no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin "
                    "(install the 'postgresql' package to run these tests)")
    folder = Path(_tempfile.mkdtemp(prefix="modelyard-pg-"))
    data = folder / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            _shutil.rmtree(folder, ignore_errors=True)
            pytest.skip("running as root and there is no 'postgres' system user to run initdb as")
        os.chown(folder, account.pw_uid, account.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]

    def run(*command: str) -> None:
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, cwd=folder)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    port = free_port()
    started = False
    try:
        run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        hba = data / "pg_hba.conf"
        hba.write_text(
            "local all all trust\n"
            f"host all postgres {LOOPBACK}/32 trust\n"
            f"host all all {LOOPBACK}/32 scram-sha-256\n"
        )
        options = (f"-c listen_addresses={LOOPBACK} -p {port} -c unix_socket_directories={folder} "
                   "-c fsync=off -c full_page_writes=off -c max_connections=100")
        run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
            "-o", options, "start")
        started = True
        wait_for_port(port)
        yield PostgresServer(port=port, folder=folder)
    finally:
        if started:
            try:
                run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop")
            except Exception as error:  # still remove the folder; say why the stop failed
                print(f"pg_ctl stop failed: {error}", file=sys.stderr)
        _shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """``postgresql+psycopg://postgres@127.0.0.1:PORT/DBNAME`` of a database created for the session."""
    return postgres_server.create_database("modelyard_session")


@pytest.fixture
def fresh_postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty PostgreSQL database for one test."""
    return postgres_server.create_database("modelyard_test")


@pytest.fixture(scope="module")
def ray_cluster():
    """``ray start --head`` plus a second node, on loopback with one CPU each; the dashboard URL.

    Ray's token auth is off while it runs: Ray 2.59+ turns it on for a head started with ``ray start``
    but not for the nodes that join it, which are then refused. Its teardown (``ray stop``) stops every
    Ray node on the machine."""
    ray = _shutil.which("ray", path=str(Path(sys.executable).parent))
    if ray is None:
        pytest.fail("the ray command is missing: pip install 'modelyard[ray]'", pytrace=False)
    auth_mode = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"  # for the nodes, this process and the servers it starts
    # a loaded machine can starve a node's raylet past Ray's health check (5 misses of a 10 s probe every 3 s),
    # and the head then marks that node dead for good: the tests' cluster waits longer
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_health_check_failure_threshold": "20",
           "RAY_health_check_timeout_ms": "30000"}
    # Ray swaps 127.0.0.1 for the machine's outward address; other loopback addresses keep every
    # connection between the nodes on loopback.
    common = ["--num-cpus=1", "--disable-usage-stats"]

    def ray_start(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([ray, "start", *args, *common], capture_output=True, text=True, env=env, timeout=600)

    # Ray's sockets live under its temp dir and a socket path has at most 107 bytes: the session folder
    # under an xdist worker's basetemp (/tmp/pytest-of-root/pytest-N/popen-gwN/...) is too deep for them.
    temp = Path(_tempfile.mkdtemp(prefix="ray-"))
    # Ray waits a fixed 30 s for a new node to register (ray/_private/node.py), which a loaded machine can
    # miss: stop what the failed try left running and start both nodes again on new ports.
    for attempt in range(3):
        if attempt:
            subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)
        port, dashboard = free_port(), free_port()
        started = ray_start("--head", "--node-ip-address=127.0.0.2", f"--port={port}", "--dashboard-host=127.0.0.1",
                            f"--dashboard-port={dashboard}", "--include-dashboard=true", f"--temp-dir={temp}")
        if started.returncode == 0:
            started = ray_start(f"--address=127.0.0.2:{port}", "--node-ip-address=127.0.0.3",
                                f"--dashboard-agent-listen-port={free_port()}")  # the head's agent has the default
        if started.returncode == 0:
            break
    if started.returncode != 0:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)
        _shutil.rmtree(temp, ignore_errors=True)
        pytest.fail(f"{' '.join(started.args)} failed ({started.returncode}):\n{started.stdout[-3000:]}\n"
                    f"{started.stderr[-3000:]}", pytrace=False)
    try:
        yield f"http://127.0.0.1:{dashboard}"
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)
        _shutil.rmtree(temp, ignore_errors=True)
        if auth_mode is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = auth_mode
