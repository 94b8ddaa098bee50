"""A process's identity, recorded right after it is started, is the one it keeps: the next server recognises the
JupyterLab or scoring process a dead server left running by it."""

from __future__ import annotations

import subprocess
import sys
import time

from modelyard._processes import process_identity

SPAWNS = 300
BURNERS = 3  # more than the cores
LOAD_SECONDS = 60  # the bound of the loop, which takes a few seconds


def test_an_identity_read_right_after_popen_is_the_one_the_process_keeps():
    # busy cores widen the moment after Popen returns in which the new program's arguments are not mapped yet
    burners = [subprocess.Popen([sys.executable, "-c", f"import time\nend = time.time() + {LOAD_SECONDS}\n"
                                                       "while time.time() < end: pass"]) for _ in range(BURNERS)]
    try:
        time.sleep(0.5)  # the burners running
        started = time.monotonic()
        for _ in range(SPAWNS):
            if time.monotonic() - started > LOAD_SECONDS:
                break
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "identity-marker"],
                                     start_new_session=True, stdin=subprocess.DEVNULL)
            try:
                recorded = process_identity(child.pid)
                assert recorded is not None and recorded.endswith("identity-marker"), recorded
                assert process_identity(child.pid) == recorded
            finally:
                child.kill()
                child.wait()
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def test_a_process_that_is_gone_has_no_identity():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert process_identity(child.pid) is None
