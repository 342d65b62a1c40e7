"""Serving the workbench with uvicorn, as ``civility review serve`` does.

uvicorn's own proxy handling is off: by default it believes ``X-Forwarded-For`` from any
local peer, which would let anyone on the machine pick the address the login limit counts.
The application reads the header itself, from its configured trusted proxies only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def server_config(app: FastAPI, host: str, port: int, **options) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, proxy_headers=False, **options)


def serve(app: FastAPI, host: str, port: int) -> None:
    uvicorn.Server(server_config(app, host, port)).run()


@contextmanager
def served_in_thread(app: FastAPI, start_timeout_s: float = 30.0) -> Iterator[str]:
    """The app on a free loopback port, served as above in a thread (tests, screenshots): its
    base URL while the block runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
