"""How fast the review queue renders over 100,000 pending events (goal: < 200 ms a page).

Builds a throw-away warehouse whose review store holds N synthetic pending events (put in
through the real queue sync, in a child process so that the memory figures are the app's own),
logs in, and times whole page requests through FastAPI's TestClient: routing, the store
queries, template rendering. Prints median and p95 per page and the serving process's memory.

    .venv/bin/python -m benchmarks.review_queue [--events 100000] [--repeat 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
from fastapi.testclient import TestClient

from analytics.decisions.queue_sync import sync_queue
from analytics.decisions.store import store_path, store_session
from analytics.decisions.synthetic import synthetic_event, synthetic_events
from analytics.decisions.users import add_user
from benchmarks.timing import peak_rss_mb
from review.app import create_app
from review.settings import ReviewSettings

PASSWORD = "benchmark password"
PAGES = {
    "queue, first page": "/",
    "queue, page 1000 of 2000": "/?page=1000",
    "queue, camera + rule": "/?camera=cam-07&rule=wrong_way",
    "queue, date + confidence": "/?date_from=2025-03-10&date_to=2025-03-20&confidence_min=0.8",
    "queue, unknown platform, by confidence": "/?platform=unknown&sort=least_confident",
    "queue, all statuses, oldest": "/?status=all&sort=oldest",
    "event page": "/events/{event_id}",
    "review figures (/board)": "/board",
}


def fill_store(root: Path, count: int) -> float:
    """Queue ``count`` synthetic events through the real sync; returns the seconds it took."""
    duck = duckdb.connect()
    events = duck.from_arrow(synthetic_events(count))
    started = time.perf_counter()
    with store_session(root) as conn:
        sync_queue(conn, events)
        add_user(conn, "bench", "reviewer", PASSWORD)
    duck.close()
    return time.perf_counter() - started


def log_in(client: TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    form = {"username": "bench", "password": PASSWORD, "csrf_token": token}
    if client.post("/login", data=form).status_code != 303:
        raise RuntimeError("the benchmark user could not log in")


def time_page(client: TestClient, url: str, repeat: int) -> list[float]:
    for _ in range(3):  # warm the page cache and the templates
        client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="review-bench-") as folder:
        root = Path(folder)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            sync_s = child.submit(fill_store, root, args.events).result()
        print(
            f"{args.events:,} pending events queued in {sync_s:.1f} s by the sync; "
            f"store {store_path(root).stat().st_size / 2**20:.0f} MB"
        )
        settings = ReviewSettings(warehouse=root, sync_enabled=False)
        event_id = synthetic_event(args.events // 2)["event_id"]
        with TestClient(create_app(settings), follow_redirects=False) as client:
            log_in(client)
            print(f"{'page':42} {'median ms':>10} {'p95 ms':>8}")
            for name, url in PAGES.items():
                times = time_page(client, url.format(event_id=event_id), args.repeat)
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{name:42} {statistics.median(times):10.1f} {p95:8.1f}")
    print(f"serving process: peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
