"""Serving the workbench with uvicorn, as ``civility review serve`` does.

uvicorn's own proxy handling is off: by default it believes ``X-Forwarded-For`` from any
local peer, which would let anyone on the machine pick the address the login limit counts.
The application reads the header itself, from its configured trusted proxies only.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI


def server_config(app: FastAPI, host: str, port: int, **options) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, proxy_headers=False, **options)


def serve(app: FastAPI, host: str, port: int) -> None:
    uvicorn.Server(server_config(app, host, port)).run()
