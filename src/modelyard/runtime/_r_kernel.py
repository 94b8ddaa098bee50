"""The R kernel of compute instances: offered when R and IRkernel are installed. Debian's r-cran-irkernel
registers it for every Jupyter; an IRkernel installed from CRAN alone has not run ``IRkernel::installspec()``,
so its kernelspec is copied into the instance's own Jupyter data folder instead (``JUPYTER_PATH``)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger("modelyard.notebooks")
R_KERNEL = "ir"
FIND_SECONDS = 30


def r_kernel_environment(folder: Path) -> dict[str, str]:
    """What a JupyterLab server's environment needs to offer the R kernel: nothing when Jupyter finds it or R is
    not installed, else ``JUPYTER_PATH`` naming ``folder/jupyter``, where IRkernel's kernelspec is copied."""
    from jupyter_client.kernelspec import KernelSpecManager

    if shutil.which("R") is None or R_KERNEL in KernelSpecManager().find_kernel_specs():
        return {}
    spec = _irkernel_spec()
    if spec is None:
        return {}
    data = folder / "jupyter"
    shutil.copytree(spec, data / "kernels" / R_KERNEL, dirs_exist_ok=True)
    return {"JUPYTER_PATH": os.pathsep.join(filter(None, [str(data), os.environ.get("JUPYTER_PATH")]))}


def _irkernel_spec() -> Path | None:
    """IRkernel's kernelspec folder, or None when R lacks the IRkernel package."""
    try:
        found = subprocess.run(["Rscript", "-e", 'cat(system.file("kernelspec", package = "IRkernel"))'],
                               capture_output=True, text=True, timeout=FIND_SECONDS, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("R is installed but asking it for IRkernel failed (%s): instances offer no R kernel", error)
        return None
    path = found.stdout.strip()
    return Path(path) if found.returncode == 0 and path and (Path(path) / "kernel.json").is_file() else None
