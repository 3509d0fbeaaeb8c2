"""Shared fixtures: a client that drives the real sidecar process over pipes, and helpers
to decode videos independently of the code under test."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SIDECAR_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SIDECAR_DIR))

RESPONSE_TIMEOUT = 30

# Preludes run in the sidecar process before wan_sidecar.server.main().

# Skips importing the real diffusers engine (and torch, which takes seconds to import).
NO_DIFFUSERS = """
import sys
sys.modules["wan_sidecar.engines.diffusers_engine"] = None
"""

# Makes the synthetic engine misbehave on request, chosen by the prompt.
FAULTY_SYNTHETIC = """
import os
from wan_sidecar import errors
from wan_sidecar.engines import synthetic

_generate = synthetic.SyntheticEngine.generate

def generate(self, request, ffmpeg, report_step, cancelled, report_preview):
    if request.prompt == "print":
        print("noise from print()")
        os.write(1, b"noise on file descriptor 1\\n")
    if request.prompt == "oom":
        raise errors.OutOfMemory("CUDA out of memory", {"plan": {"precision": "fp8"}})
    if request.prompt == "weights":
        raise errors.WeightsMissing("weights are missing", {"missing": ["Wan2.2-T2V-A14B"]})
    if request.prompt == "unavailable":
        raise errors.EngineUnavailable("no GPU", {"reason": "no CUDA device"})
    if request.prompt == "crash":
        raise RuntimeError("boom")
    return _generate(self, request, ffmpeg, report_step, cancelled, report_preview)

synthetic.SyntheticEngine.generate = generate
"""

# Tests write under pytest's temporary folders: the sidecar may write anywhere in the temp folder.
ALLOWED_ROOTS = [tempfile.gettempdir()]


class SidecarProcess:
    """The sidecar as a subprocess, with every stdout line kept for inspection."""

    def __init__(self, prelude: str | None = None):
        if prelude is None:
            args = [sys.executable, "-m", "wan_sidecar"]
        else:
            args = [sys.executable, "-c", prelude + "\nfrom wan_sidecar.server import main\nraise SystemExit(main())\n"]
        env = {**os.environ, "PYTHONPATH": str(SIDECAR_DIR), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            args, cwd=SIDECAR_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.stdout_lines: list[bytes] = []
        self.stderr_lines: list[str] = []
        self.notifications: list[dict[str, Any]] = []
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._responses: dict[Any, dict[str, Any]] = {}
        self._next_id = 1
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.ready = self.next_message()

    def _read_stdout(self) -> None:
        for line in self.process.stdout:
            self.stdout_lines.append(line)
            self._messages.put(json.loads(line))  # a non-JSON line fails the reader loudly
        self._messages.put(None)

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode("utf-8", errors="replace"))

    def next_message(self, timeout: float = RESPONSE_TIMEOUT) -> dict[str, Any]:
        message = self._messages.get(timeout=timeout)
        assert message is not None, "the sidecar closed stdout:\n" + "".join(self.stderr_lines)
        return message

    def send_line(self, line: bytes | str) -> None:
        self.process.stdin.write(line.encode() if isinstance(line, str) else line)
        self.process.stdin.write(b"\n")
        self.process.stdin.flush()

    def send(self, method: str, params: Any = None, request_id: Any = None) -> Any:
        """Sends a request and returns its id (use `response(id)` to wait for the answer)."""
        if request_id is None:
            request_id = self._next_id
            self._next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send_line(json.dumps(message))
        return request_id

    def response(self, request_id: Any, timeout: float = RESPONSE_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while request_id not in self._responses:
            message = self.next_message(max(deadline - time.monotonic(), 0.01))
            if "method" in message:
                self.notifications.append(message)
            else:
                self._responses[message["id"]] = message
        return self._responses.pop(request_id)

    def call(self, method: str, params: Any = None) -> dict[str, Any]:
        return self.response(self.send(method, params))

    def wait_for_notification(self, method: str, timeout: float = RESPONSE_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.notifications):
                if message["method"] == method:
                    return self.notifications.pop(index)
            message = self.next_message(max(deadline - time.monotonic(), 0.01))
            if "method" in message:
                self.notifications.append(message)
            else:
                self._responses[message["id"]] = message

    def progress(self, request_id: Any) -> list[dict[str, Any]]:
        progress = [n["params"] for n in self.notifications if n["method"] == "progress"]
        return [params for params in progress if params["requestId"] == request_id]

    def initialize(self, ffmpeg: str, roots: list[str] | None = None) -> dict[str, Any]:
        response = self.call("initialize", {"ffmpegPath": ffmpeg, "allowedRoots": roots or ALLOWED_ROOTS})
        assert "result" in response, response
        return response["result"]

    def close_stdin(self) -> None:
        self.process.stdin.close()

    def wait_exit(self, timeout: float = RESPONSE_TIMEOUT) -> int:
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    path = os.environ.get("WAN_STUDIO_FFMPEG") or shutil.which("ffmpeg")
    if not path:
        pytest.skip("ffmpeg not found (set WAN_STUDIO_FFMPEG)")
    return path


@pytest.fixture
def start_sidecar():
    """start_sidecar(prelude=NO_DIFFUSERS) -> SidecarProcess, stopped at the end of the test."""
    started: list[SidecarProcess] = []

    def start(prelude: str | None = NO_DIFFUSERS) -> SidecarProcess:
        sidecar = SidecarProcess(prelude)
        started.append(sidecar)
        return sidecar

    yield start
    for sidecar in started:
        sidecar.stop()


@pytest.fixture(scope="module")
def sidecar(ffmpeg):
    """One initialized sidecar shared by a module's tests; tests must leave it idle."""
    shared = SidecarProcess(NO_DIFFUSERS + FAULTY_SYNTHETIC)
    shared.initialize(ffmpeg)
    yield shared
    shared.stop()


def segment_params(output_path: Path, **overrides: Any) -> dict[str, Any]:
    """Valid `generate` params for a small synthetic segment."""
    params: dict[str, Any] = {
        "engine": "synthetic",
        "shot": 3,
        "segment": 0,
        "prompt": "a paper boat on a rainy street",
        "seed": 42,
        "frames": 9,
        "width": 480,
        "height": 272,
        "fps": 16,
        "steps": 3,
        "output": str(output_path),
        "startFrame": 0,
    }
    params.update(overrides)
    return params


def decode_frames(ffmpeg: str, path: Path, width: int, height: int) -> np.ndarray:
    """All frames of a video as (N, H, W, 3) uint8, decoded without wan_sidecar's own reader."""
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
