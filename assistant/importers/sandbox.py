"""Read a PDF in a forked process bounded in time and memory: a small fork server with pdfium loaded.

Why not multiprocessing: its children re-run the parent's main script (under Streamlit, the app itself) before
they do anything; this server's children only read the one file. Forking happens in the server, which has a
single thread, so a child never inherits a lock another thread held. A process that has a single thread itself
(the command line) forks the reading process directly and starts no server: that saves a Python start.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from typing import Any

from assistant.importers.result import ReadError

_HEADER = struct.Struct("<qdq")  # data length, time budget in seconds, memory budget in bytes
_LENGTH = struct.Struct("<q")
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from assistant.importers.sandbox import serve; serve(int(sys.argv[2]))"
)


class _Server:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.control = ours
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, json.dumps(sys.path), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # pdfium's complaints about damaged files are not for the user
        )
        theirs.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.control.close()  # the server ends when its control socket closes
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()


_server: _Server | None = None
_lock = threading.Lock()


def _stop() -> None:
    if _server is not None:
        _server.stop()


atexit.register(_stop)


def _hand_over(child_end: socket.socket) -> None:
    """Give the server one end of a new connection: it forks a reading process that talks over it."""
    global _server
    with _lock:
        for _ in range(2):
            if _server is None or not _server.alive():
                _server = _Server()
            try:
                socket.send_fds(_server.control, [b"r"], [child_end.fileno()])
                return
            except OSError:
                _server = None  # the server died since: start another once
    raise ReadError("无法启动读取 PDF 的进程，请稍后再试")


def _recv_exact(conn: socket.socket, size: int, deadline: float) -> bytes | None:
    """`size` bytes, or None when the other side closed first; TimeoutError past the deadline."""
    chunks: list[bytes] = []
    while size:
        conn.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = conn.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _single_threaded() -> bool:
    """True where forking here is safe: no other thread can hold a lock the child would inherit."""
    return threading.active_count() == 1


def _fork_here(ours: socket.socket, child_end: socket.socket) -> int:
    """Fork the reading process from this (single-threaded) process; the parent gets its pid to reap."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            ours.close()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)  # pdfium's complaints about damaged files are not for the user
            _read_one(child_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    return pid


def run(data: bytes, budget: float, memory: int, grace: float) -> tuple[str, Any]:
    """The reading process's reply, ("ok", lines) or ("error", reason); ("timeout", None) when it was ended."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    child: int | None = None
    try:
        with ours:
            try:
                if _single_threaded():
                    child = _fork_here(ours, theirs)
                else:
                    _hand_over(theirs)
            finally:
                theirs.close()
            return _exchange(ours, data, budget, memory, grace)
    finally:
        if child is not None:  # it has replied, or it is past its deadline: ended either way, and reaped
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)


def _exchange(ours: socket.socket, data: bytes, budget: float, memory: int, grace: float) -> tuple[str, Any]:
    """Send the file to the reading process on the other end of `ours` and wait for its reply or the deadline."""
    deadline = time.monotonic() + budget + grace
    pid: int | None = None
    try:
        raw_pid = _recv_exact(ours, _LENGTH.size, deadline)
        if raw_pid is None:
            return "died", None
        pid = _LENGTH.unpack(raw_pid)[0]
        ours.settimeout(max(deadline - time.monotonic(), 0.001))
        ours.sendall(_HEADER.pack(len(data), budget, memory) + data)
        # Waiting on a socket releases the GIL: the app serves other sessions while a PDF is read.
        raw_size = _recv_exact(ours, _LENGTH.size, deadline)
        payload = _recv_exact(ours, _LENGTH.unpack(raw_size)[0], deadline) if raw_size else None
    except TimeoutError:
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return "timeout", None
    except OSError:
        return "died", None
    if payload is None:
        return "died", None
    status, result = json.loads(payload)
    return str(status), result


def serve(control_fd: int) -> None:
    """The fork server: for each connection handed over, fork a process that reads one PDF and exits."""
    from assistant.importers import pdf

    with contextlib.suppress(Exception):  # a cold server reads the same, a little slower
        pdf.warm_up()
    gc.freeze()  # the collector leaves the loaded modules alone: a reading process copies fewer pages
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished readers are reaped by the system
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not fds:
            return  # the app closed its end: it has ended
        if os.fork() == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 0
            try:
                _read_one(socket.socket(fileno=fds[0]))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fds[0])


def _read_one(conn: socket.socket) -> None:
    from assistant.importers import pdf

    conn.sendall(_LENGTH.pack(os.getpid()))
    far = time.monotonic() + 3600
    header = _recv_exact(conn, _HEADER.size, far)
    if header is None:
        return
    size, budget, memory = _HEADER.unpack(header)
    data = _recv_exact(conn, size, far)
    if data is None:
        return
    reply = json.dumps(pdf.read_in_process(data, budget, memory), ensure_ascii=False).encode("utf-8")
    conn.settimeout(None)
    conn.sendall(_LENGTH.pack(len(reply)) + reply)
