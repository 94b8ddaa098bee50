"""Browser tests: the built studio in Debian's chromium, driven by Playwright, against a real server.

Nothing here skips: a missing studio build, chromium or Playwright fails the tests with what to install.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "studio"
CHROMIUM = Path(os.environ.get("MODELYARD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 800}
PATIENCE_MS = 60_000  # a loaded CI machine is slow: waits are long, and a passing test still ends at once


@pytest.fixture(scope="session", autouse=True)
def patient_expectations():
    """Playwright's ``expect`` gives up after 5 s by default, which a loaded machine exceeds."""
    from playwright.sync_api import expect

    expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="session")
def studio_build() -> Path:
    """The built studio that the server serves at /; fails when it has not been built."""
    from modelyard.api._studio import STUDIO_DIST

    if not (STUDIO_DIST / "index.html").is_file():
        pytest.fail(f"the studio is not built ({STUDIO_DIST / 'index.html'} is missing): run 'make install-dev' "
                    "or 'cd ui && npm ci && npm run build'", pytrace=False)
    return STUDIO_DIST


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, through Playwright (one for the session)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium ('apt-get install chromium'; .ci/run does it)",
                    pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the 'playwright' Python package is missing: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def studio(server, studio_build) -> str:
    """The base URL of a real workspace server (free loopback port) serving the built studio."""
    return server.url


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no remembered theme) at 1280×800; a failing test leaves a screenshot."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            target = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid) + ".png")
            try:
                page.screenshot(path=str(target), full_page=True)
                print(f"screenshot of the failing page: {target}")
            except Exception as error:  # the page may be gone; say so and keep the original failure
                print(f"could not save a screenshot: {error}")
        context.close()


def run_training_job(ws, code: Path, script: str, data: str) -> str:
    """Run ``script`` as ``python train.py <data folder> <model folder>`` in ``code`` on data asset ``data``
    (``name:version``) as a command job; its name once it has completed."""
    code.mkdir(exist_ok=True)
    (code / "train.py").write_text(textwrap.dedent(script))
    job = ws.jobs.create({"type": "command", "code": str(code), "command": "python train.py ${{inputs.data}} ${{outputs.model}}",
                          "inputs": {"data": f"azureml:{data}"}, "outputs": {"model": {"type": "uri_folder"}}})
    done = ws.jobs.wait(job.name, timeout=240)
    assert done.status == "Completed", ws.jobs.logs(job.name)["text"]
    return job.name
