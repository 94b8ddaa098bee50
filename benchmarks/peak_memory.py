"""Resident memory of the current process, from /proc/self/status (Linux), for the benchmarks' memory columns.

Not ``resource.getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries a process's peak across ``exec``, so a child
that a benchmark holding 600 MB starts reports at least 600 MB, whatever it used itself. ``VmHWM`` is the peak
of the process's own address space.
"""

from __future__ import annotations

from pathlib import Path


def rss_mb(field: str = "VmHWM") -> float:
    """The process's peak (``VmHWM``) or current (``VmRSS``) resident memory, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")
