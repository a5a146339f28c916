"""`portal serve`, started the way users start it: it migrates a fresh database, answers, and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.test_cli import ROOT


SECRET_TOKEN = "activation-token-that-must-not-be-logged"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_then_shuts_down_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATA_DIR=str(tmp_path), PORTAL_DATABASE_URL=f"sqlite://{tmp_path / 'serve.sqlite3'}")
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert health is not None and health.json() == {"status": "ok", "database": "up"}, server.poll()
        anonymous = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ viewer { email } }"}, timeout=10)
        assert anonymous.status_code == 200 and anonymous.json()["data"] == {"viewer": None}
        activation = httpx.get(f"http://127.0.0.1:{port}/activate", params={"token": SECRET_TOKEN, "lang": "en"},
                               timeout=10)
        assert activation.status_code == 200 and SECRET_TOKEN in activation.text  # the form carries it on
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=60)
    # uvicorn shuts down gracefully, then ends by the signal it caught, as an unhandled SIGTERM would.
    assert server.returncode in (0, -signal.SIGTERM), stderr
    # Shutting down closes the document services and the database: nothing fails on the way out.
    assert "Application shutdown complete" in stderr, stderr
    assert "Traceback" not in stderr and "shutdown failed" not in stderr, stderr
    # The access log names every request, and never the credential an activation link carries.
    assert '"GET /activate?token=[redacted]&lang=en HTTP/1.1" 200' in stdout, stdout
    assert SECRET_TOKEN not in stdout + stderr


def test_serve_without_a_chinese_font_stops_at_start_up_and_names_the_package(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"  # a fontconfig that knows no font at all
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATA_DIR=str(tmp_path), FONTCONFIG_FILE=str(config))

    result = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--port", str(free_port())], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr
    assert "serving on" not in result.stdout
