"""Start the real app with `streamlit run` on a free loopback port and wait for /_stcore/health."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(
    cwd: Path, env: dict[str, str] | None = None, timeout: float = 60, app: Path = ROOT / "app.py"
) -> Iterator[tuple[str, float]]:
    """(base URL, seconds until healthy) of a fresh server; it is stopped on leaving the block."""
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.perf_counter() - start > timeout or server.poll() is not None:
                    raise RuntimeError("the app did not answer /_stcore/health") from None
                time.sleep(0.05)
        yield url, time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(20)
