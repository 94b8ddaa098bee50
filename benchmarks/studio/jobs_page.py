"""The studio's jobs page with 10,000 jobs: time to first rows and frames while scrolling to the end.

    python benchmarks/studio/jobs_page.py [--jobs 10000]

Inserts the jobs straight through the store (no scheduler work), starts a workspace server on a
free loopback port, and drives Debian's chromium with Playwright at 1280x800. The peer, measured
in the same browser on the same data, is a plain table holding every row in the DOM (what the
page would be without virtualisation and paging). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _served import served_workspace

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STATUSES = ["Completed"] * 6 + ["Failed", "Canceled", "Running", "Queued"]

# Records every animation frame's time, so a scroll can be judged by its frame gaps.
FRAME_PROBE = """() => { window.__frames = []; if (window.__probing) return; window.__probing = true;
const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"""
# Scrolls an element to its end in `steps` wheel-sized moves, one per frame; resolves when done.
SCROLL = """async ([selector, steps]) => { const el = selector ? document.querySelector(selector) : document.scrollingElement;
const end = el.scrollHeight - el.clientHeight; window.__frames = [];
for (let i = 1; i <= steps; i++) { el.scrollTop = Math.round(end * i / steps); await new Promise(requestAnimationFrame); }
await new Promise(requestAnimationFrame); return window.__frames; }"""
PEER_TABLE = """async (jobs) => { const started = performance.now(); const rows = jobs.map((j) =>
`<tr><td><input type=checkbox></td><td><a href="/jobs/${j.name}">${j.display_name}</a></td><td>${j.status}</td>` +
`<td>${j.experiment_name}</td><td>${j.type}</td><td>${j.compute}</td><td>${new Date(j.created_at).toLocaleString()}</td><td>—</td></tr>`);
document.body.innerHTML = `<table class="table compact"><tbody>${rows.join("")}</tbody></table>`;
await new Promise(requestAnimationFrame); await new Promise(requestAnimationFrame); return performance.now() - started; }"""


def insert_jobs(root: Path, count: int) -> None:
    from modelyard.services import workspace as workspaces
    from modelyard.services._context import ServiceContext
    from modelyard.store import JobRow

    context = ServiceContext.open(workspaces.load(root))
    start = datetime.now(timezone.utc) - timedelta(seconds=count)
    rows = []
    for i in range(count):
        created = start + timedelta(seconds=i)
        status = STATUSES[i % len(STATUSES)]
        rows.append(JobRow(name=f"bench_job_{i:05d}", type="command", status=status, display_name=f"training run {i}",
                           experiment_name=f"experiment-{i % 12}", compute="local", tags={}, parent=None,
                           spec={"command": "python train.py"}, properties={}, outputs={}, attempt=1, archived=False,
                           cancel_requested=False, history={"Queued": created.isoformat()}, created_at=created,
                           started_at=created, ended_at=created + timedelta(seconds=30) if status != "Running" else None))
    with context.session() as session:
        session.add_all(rows)
    context.close()


def gaps(frames: list[float]) -> dict[str, float]:
    deltas = [b - a for a, b in zip(frames, frames[1:])] or [0.0]
    return {"frames": len(frames), "mean_ms": statistics.fmean(deltas), "p95_ms": sorted(deltas)[int(0.95 * (len(deltas) - 1))],
            "max_ms": max(deltas), "over_50ms": sum(d > 50 for d in deltas)}


def measure(url: str, count: int, steps: int) -> dict[str, dict]:
    import httpx
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)  # warm the server and the browser's cache of the studio's files
        page.wait_for_selector("main h1")

        started = time.perf_counter()
        page.goto(f"{url}/jobs")
        page.wait_for_selector("tr[data-job]")
        first_rows = time.perf_counter() - started
        page.wait_for_function(f"document.querySelector('[role=status].jobs-count')?.textContent.startsWith('{count:,}')")
        rendered = page.locator("tr[data-job]").count()
        page.evaluate(FRAME_PROBE)
        frames = page.evaluate(SCROLL, ["[data-testid=jobs-scroll]", steps])
        started = time.perf_counter()
        page.wait_for_selector('tr[data-job="bench_job_00000"]')
        last_row = time.perf_counter() - started
        results["studio (virtualised, paged)"] = {"first_rows_s": first_rows, "rows_in_dom": rendered,
                                                  "last_row_after_scroll_s": last_row, **gaps(frames)}

        fetched = time.perf_counter()
        jobs = [job for offset in range(0, count, 1000)
                for job in httpx.get(f"{url}/api/jobs", params={"limit": 1000, "offset": offset}, timeout=120).json()]
        fetch_s = time.perf_counter() - fetched
        render_ms = page.evaluate(PEER_TABLE, jobs)
        page.evaluate(FRAME_PROBE)
        frames = page.evaluate(SCROLL, ["", steps])
        results["peer: plain table, every row"] = {"first_rows_s": fetch_s + render_ms / 1000, "rows_in_dom": len(jobs),
                                                   "last_row_after_scroll_s": 0.0, **gaps(frames)}
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=60, help="scroll moves from top to end, one per frame")
    args = parser.parse_args()
    def prepare(root: Path) -> None:
        started = time.perf_counter()
        insert_jobs(root, args.jobs)
        print(f"inserted {args.jobs:,} jobs through the store in {time.perf_counter() - started:.1f} s")

    with served_workspace(prepare) as (_, url):
        results = measure(url, args.jobs, args.steps)
    print(f"\n{'':32} {'first rows':>10} {'rows in DOM':>11} {'frames':>6} {'mean':>7} {'p95':>7} {'max':>7} {'>50ms':>5}")
    for name, r in results.items():
        print(f"{name:32} {r['first_rows_s']:>9.2f}s {r['rows_in_dom']:>11,} {r['frames']:>6} {r['mean_ms']:>5.1f}ms "
              f"{r['p95_ms']:>5.1f}ms {r['max_ms']:>5.1f}ms {r['over_50ms']:>5}")
    studio, peer = results.values()
    print(f"\nstudio: last (oldest) row shown {studio['last_row_after_scroll_s']:.2f} s after the scroll reached the end")
    print(f"ratios peer/studio: first rows {peer['first_rows_s'] / studio['first_rows_s']:.1f}x, "
          f"p95 frame {peer['p95_ms'] / max(studio['p95_ms'], 0.1):.1f}x, max frame {peer['max_ms'] / max(studio['max_ms'], 0.1):.1f}x")


if __name__ == "__main__":
    main()
