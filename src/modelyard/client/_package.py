"""``modelyard model package``: a self-contained folder that serves one registered model.

The folder holds the model files (checked against the registry's sha256 on download), the
modelyard package itself under ``vendor/`` (the scoring engine, and the classes AutoML models are
made of), pinned requirements, an entry point and a Dockerfile. It answers the same contract as a
modelyard endpoint: ``POST /score`` with ``{"data": [records]}`` -> ``{"result": [...]}``.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

from modelyard.errors import Conflict

SERVING_REQUIREMENTS = ("mlflow-skinny", "mlflow", "scikit-learn", "pandas", "numpy", "scipy", "cloudpickle", "skops",
                        "pyyaml", "orjson", "uvicorn", "httptools", "uvloop", "lightgbm", "xgboost", "pyarrow")
ENTRY_POINT = '''"""Serve the packaged model: POST /score {"data": [...]} -> {"result": [...]}; GET /health, /ready."""

import os
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here / "vendor"))
sys.argv = [sys.argv[0], "--model-dir", str(here / "model"), "--host", os.environ.get("HOST", "127.0.0.1"),
            "--port", os.environ.get("PORT", "8080"), "--name", os.environ.get("MODEL_NAME", "{name}")]

from modelyard.serving.__main__ import main  # noqa: E402

main()
'''
DOCKERFILE = '''FROM python:{python}-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
CMD ["python", "serve.py"]
'''


def _pinned(model_folder: Path) -> list[str]:
    """The model's own pinned requirements (MLflow writes them) plus what the scoring engine needs."""
    pins: dict[str, str] = {}
    recorded = model_folder / "requirements.txt"
    if recorded.is_file():
        for line in recorded.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-")) and "==" in line:
                name = line.split("==")[0].strip().lower()
                if name != "modelyard":
                    pins[name] = line
    for name in SERVING_REQUIREMENTS:
        if name.lower() not in pins:
            try:
                pins[name.lower()] = f"{name}=={metadata.version(name)}"
            except metadata.PackageNotFoundError:
                continue
    return [pins[name] for name in sorted(pins)]


def build_package(models, reference: str, output: Path) -> Path:
    """Assemble the package for model ``reference`` in ``output`` (which must not exist yet)."""
    import sys

    import modelyard

    model = models.get(reference)
    if output.exists():
        raise Conflict(f"{output} exists already; choose a new folder for the package")
    staging = output.with_name(f".{output.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        models.download(f"{model.name}:{model.version}", staging / "model")
        source = Path(modelyard.__file__).resolve().parent
        shutil.copytree(source, staging / "vendor" / "modelyard",
                        ignore=shutil.ignore_patterns("__pycache__", "studio", "*.pyc"))
        (staging / "requirements.txt").write_text("\n".join(_pinned(staging / "model")) + "\n")
        (staging / "serve.py").write_text(ENTRY_POINT.replace("{name}", f"{model.name}:{model.version}"))
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        (staging / "Dockerfile").write_text(DOCKERFILE.replace("{python}", python))
        (staging / "README.md").write_text(
            f"# {model.name}:{model.version}\n\nServes the model exported from a modelyard workspace "
            f"(sha256 {model.sha256}).\n\n```\npip install -r requirements.txt\npython serve.py          "
            "# PORT=8080 HOST=127.0.0.1 by default\ncurl -X POST localhost:8080/score -H 'Content-Type: "
            "application/json' -d '{\"data\": [...]}'\n```\n\nOr `docker build -t model . && docker run -p 8080:8080 "
            "model`. The server has no authentication of its own: put it behind your gateway.\n")
        staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output
