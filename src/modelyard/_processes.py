"""Process liveness, the same answer everywhere: a zombie child counts as dead."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # our own child that exited is a zombie until reaped: reap it and call it dead
        finished, _ = os.waitpid(pid, os.WNOHANG)
        return finished == 0
    except ChildProcessError:
        return True


EXEC_WAIT_SECONDS = 2.0


def process_identity(pid: int) -> str | None:
    """The process's start time and command line (None when there is no such process): a pid
    recorded with its identity is the same process only while the identity still matches."""
    import sys

    if sys.platform.startswith("linux"):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                started = f.read().rsplit(b")", 1)[1].split()[19].decode()  # field 22: start time in ticks
            return f"{started} {_command_line(pid)}"
        except (OSError, IndexError):
            return None
    import subprocess

    try:
        out = subprocess.run(["ps", "-o", "lstart=", "-o", "command=", "-p", str(pid)], capture_output=True,
                             text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None



def _command_line(pid: int) -> str:
    """``/proc/PID/cmdline``. It reads empty for a moment after ``subprocess.Popen`` returns: the new program's
    arguments are mapped after the exec has closed the pipe Popen waits on (on a busy machine, for almost half of
    the reads). So an empty one is read again for a bounded while; only a zombie or a kernel thread stays empty."""
    import time

    deadline = time.monotonic() + EXEC_WAIT_SECONDS
    while True:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        if command or time.monotonic() > deadline:
            return command
        time.sleep(0.005)
