"""A burst of parallel logins against the review workbench, served as in production
(``civility review serve`` in its own process, argon2id at its real cost of 64 MiB a hash):
how many guesses are answered 401 before the limit holds, and the server's peak memory.

Goals (issue 10): 30 parallel wrong passwords for one account get at most 5 answers 401 and the
rest 429; peak server RSS < 600 MB; a rotated X-Forwarded-For from an untrusted peer changes
nothing. Also measured: 30 parallel guesses spread over 30 user names from one address (one
password sprayed), which the per-source limit stops.

    .venv/bin/python -m benchmarks.review_login
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

PASSWORD = "the right password"
BURST = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def civility(*arguments: str, **options) -> subprocess.Popen:
    command = [sys.executable, "-c", "from civility.cli import app; app()", *arguments]
    return subprocess.Popen(command, **options)


class RssSampler:
    """The server process's resident memory, sampled every 10 ms while a burst runs."""

    def __init__(self, pid: int):
        self.process, self.peak_mb, self._stop = psutil.Process(pid), 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.process.memory_info().rss / 2**20)
            time.sleep(0.01)


def login_form(base: str) -> tuple[str, str]:
    """A fresh login page's CSRF cookie and token."""
    with httpx.Client(base_url=base) as browser:
        page = browser.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return page.cookies["review_login_csrf"], token


def burst(base: str, names: list[str], password: str, headers=None) -> Counter:
    """``len(names)`` logins at once, each with its own login page; their status codes."""
    forms = [login_form(base) for _ in names]
    start = threading.Barrier(len(names))
    codes: list[int] = []

    def attempt(name: str, cookie: str, token: str) -> None:
        with httpx.Client(base_url=base, cookies={"review_login_csrf": cookie}, timeout=120) as c:
            start.wait()
            form = {"username": name, "password": password, "csrf_token": token}
            codes.append(c.post("/login", data=form, headers=headers or {}).status_code)

    threads = [
        threading.Thread(target=attempt, args=(name, *form))
        for name, form in zip(names, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(codes)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="login-bench-") as folder:
        root = Path(folder) / "warehouse"
        root.mkdir()
        added = civility(
            "review",
            "add-user",
            "li",
            "--role",
            "reviewer",
            "--warehouse",
            str(root),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        added.communicate(f"{PASSWORD}\n".encode())
        port = free_port()
        server = civility(
            "review",
            "serve",
            "--port",
            str(port),
            "--warehouse",
            str(root),
            "--sync-interval",
            "0",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            idle_mb = psutil.Process(server.pid).memory_info().rss / 2**20
            print(f"server idle: {idle_mb:.0f} MB RSS")
            with RssSampler(server.pid) as sampler:
                started = time.perf_counter()
                codes = burst(base, ["li"] * BURST, "wrong guess")
                seconds = time.perf_counter() - started
            print(
                f"{BURST} parallel wrong passwords for one account: {dict(sorted(codes.items()))}"
                f" in {seconds:.1f} s; peak server RSS {sampler.peak_mb:.0f} MB"
            )
            rotated = Counter()
            for index in range(10):
                headers = {"X-Forwarded-For": f"198.51.100.{index}"}
                rotated += burst(base, ["li"], "another guess", headers)
            right = burst(base, ["li"], PASSWORD, {"X-Forwarded-For": "192.0.2.1"})
            print(
                f"then 10 guesses with rotated X-Forwarded-For: {dict(rotated)}; the right "
                f"password: {dict(right)}"
            )
            with RssSampler(server.pid) as sampler:
                sprayed = burst(base, [f"user{index}" for index in range(BURST)], PASSWORD)
            print(
                f"{BURST} parallel logins at {BURST} names from one address (spraying): "
                f"{dict(sorted(sprayed.items()))}; peak server RSS {sampler.peak_mb:.0f} MB"
            )
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
