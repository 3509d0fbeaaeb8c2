"""The weights download (python -m wan_sidecar.downloads) against a local stand-in for the hub (HF_ENDPOINT).

The stand-in answers what huggingface_hub asks: GET /api/models/{repo}/revision/{rev}?blobs=True (the
listing with sizes, blob ids and LFS sha256), HEAD /{repo}/resolve/{rev}/{path} (X-Repo-Commit, ETag; an
LFS file answers 302 to a second origin, the "CDN", with X-Linked-Size and X-Linked-Etag as the hub does)
and GET with Range on both origins. It logs every request, can stall a file midway (so the test kills the
download at a known byte) and can serve wrong bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wan_sidecar import weights
from wan_sidecar.engines import fast_mode

from conftest import SIDECAR_DIR

COMMIT = "0123456789abcdef0123456789abcdef01234567"
WAN_REPO = "Wan-AI/Wan2.2-TI2V-5B-Diffusers"
LORA_REPO = "lightx2v/Wan2.2-Lightning"
LORA_VARIANT = "Wan2.2-T2V-A14B-4steps-lora-rank64-Seko-V1.1"
BIG = "transformer/diffusion_pytorch_model.safetensors"
HF_CHUNK = 10 * 1024 * 1024  # huggingface_hub's DOWNLOAD_CHUNK_SIZE: http_get writes in chunks this big


def safetensors(size: int, seed: int) -> bytes:
    """A valid safetensors file of `size` bytes (one uint8 tensor), so weights.py accepts it."""
    header = b""
    for _ in range(2):  # the header's length depends on the data length it names
        data_length = size - 8 - len(header)
        header = json.dumps({"w": {"dtype": "U8", "shape": [data_length], "data_offsets": [0, data_length]}}).encode()
    data = hashlib.sha256(str(seed).encode()).digest() * (data_length // 32 + 1)
    return struct.pack("<Q", len(header)) + header + data[:data_length]


def ti2v_repo() -> dict[str, bytes]:
    """The TI2V-5B diffusers layout weights.py checks, with tiny files and one 24 MB transformer."""
    config = b'{"_class_name": "stand-in"}'
    return {
        "model_index.json": b'{"_class_name": "WanPipeline"}',
        "README.md": b"# stand-in\n",
        "scheduler/scheduler_config.json": config,
        "tokenizer/tokenizer_config.json": config,
        "tokenizer/tokenizer.json": b'{"model": {}}',
        "text_encoder/config.json": config,
        "text_encoder/model.safetensors": safetensors(4096, 1),
        "transformer/config.json": config,
        BIG: safetensors(24 * 1024 * 1024, 2),
        "vae/config.json": config,
        "vae/diffusion_pytorch_model.safetensors": safetensors(8192, 3),
    }


def git_blob_id(content: bytes) -> str:
    return hashlib.sha1(f"blob {len(content)}\0".encode() + content).hexdigest()


def not_found(handler: BaseHTTPRequestHandler, error_code: str) -> None:
    """A 404 with the X-Error-Code huggingface_hub reads to tell a missing repo from a missing file."""
    handler.send_response(404)
    handler.send_header("X-Error-Code", error_code)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


class StandInHub:
    def __init__(self, repos: dict[str, dict[str, bytes]]):
        self.repos = repos
        self.log: list[dict[str, str | int | None]] = []
        self.phase = 1
        self.corrupt: set[str] = set()
        self.unserved: set[str] = set()  # listed, but resolve answers 404
        self.listed_size: dict[str, int] = {}  # path -> size the listing claims
        self.stall_at: dict[str, int] = {}  # path -> byte after which the response waits for `release`
        self.release = threading.Event()
        self.hub = self.serve()
        self.cdn = self.serve()  # another origin, as the hub's LFS redirects go to a CDN
        self.endpoint = f"http://127.0.0.1:{self.hub.server_port}"
        self.cdn_url = f"http://127.0.0.1:{self.cdn.server_port}"

    def serve(self) -> ThreadingHTTPServer:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hub.answer(self, body=True)

            def do_HEAD(self):
                hub.answer(self, body=False)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def close(self):
        self.release.set()
        for server in (self.hub, self.cdn):
            server.shutdown()
            server.server_close()

    def is_lfs(self, path: str) -> bool:
        return path.endswith(".safetensors")

    def find(self, repo_and_path: str) -> tuple[str, str, bytes] | None:
        for repo, files in self.repos.items():
            prefix = f"{repo}/resolve/"
            if repo_and_path.startswith(prefix):
                revision, _, path = repo_and_path[len(prefix) :].partition("/")
                if revision in ("main", COMMIT) and path in files:
                    return repo, path, files[path]
        return None

    def answer(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        url = handler.path.split("?")[0]
        origin = "cdn" if handler.server is self.cdn else "hub"
        self.log.append(
            {
                "phase": self.phase,
                "method": handler.command,
                "origin": origin,
                "url": url,
                "range": handler.headers.get("Range"),
            }
        )
        if origin == "hub" and url.startswith("/api/models/"):
            return self.listing(handler, url[len("/api/models/") :])
        if origin == "cdn":
            found = next(
                (
                    (r, p, c)
                    for r, files in self.repos.items()
                    for p, c in files.items()
                    if url == f"/blobs/{sha256(c)}"
                ),
                None,
            )
            return self.send_file(handler, found, body)
        found = self.find(url.lstrip("/"))
        if found and found[1] in self.unserved:
            found = None
        if found and self.is_lfs(found[1]):
            _, path, content = found
            handler.send_response(302)
            handler.send_header("Location", f"{self.cdn_url}/blobs/{sha256(content)}")
            handler.send_header("X-Repo-Commit", COMMIT)
            handler.send_header("X-Linked-Size", str(len(content)))
            handler.send_header("X-Linked-Etag", f'"{sha256(content)}"')
            handler.send_header("ETag", f'"{git_blob_id(content)}"')
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        return self.send_file(handler, found, body)

    def listing(self, handler: BaseHTTPRequestHandler, rest: str) -> None:
        repo = next((r for r in self.repos if rest in (r, f"{r}/revision/main", f"{r}/revision/{COMMIT}")), None)
        if repo is None:
            not_found(handler, "RepoNotFound")
            return
        siblings = []
        for path, content in self.repos[repo].items():
            size = self.listed_size.get(path, len(content))
            sibling = {"rfilename": path, "size": size, "blobId": git_blob_id(content)}
            if self.is_lfs(path):
                sibling["lfs"] = {"size": size, "sha256": sha256(content), "pointerSize": 134}
            siblings.append(sibling)
        payload = json.dumps({"id": repo, "sha": COMMIT, "siblings": siblings}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def send_file(self, handler: BaseHTTPRequestHandler, found: tuple[str, str, bytes] | None, body: bool) -> None:
        if found is None:
            not_found(handler, "EntryNotFound")
            return
        _, path, content = found
        if path in self.corrupt:
            content = content[:-1] + bytes([content[-1] ^ 0xFF])  # same size, wrong bytes
        start = 0
        requested = handler.headers.get("Range")
        if requested:
            start = int(requested.removeprefix("bytes=").split("-")[0])
            handler.send_response(206)
            handler.send_header("Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}")
        else:
            handler.send_response(200)
        handler.send_header("Content-Length", str(len(content) - start))
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("ETag", f'"{sha256(content) if self.is_lfs(path) else git_blob_id(content)}"')
        handler.send_header("X-Repo-Commit", COMMIT)
        handler.end_headers()
        if not body:
            return
        stall = self.stall_at.get(path)
        try:
            if stall is not None and self.phase == 1 and start < stall:
                handler.wfile.write(content[start:stall])
                handler.wfile.flush()
                self.release.wait(timeout=120)
                start = stall
            handler.wfile.write(content[start:])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client was killed mid-file


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def hub():
    stand_in = StandInHub({WAN_REPO: ti2v_repo(), LORA_REPO: lora_repo()})
    yield stand_in
    stand_in.close()


def lora_repo() -> dict[str, bytes]:
    return {
        "README.md": b"# Lightning\n",
        f"{LORA_VARIANT}/high_noise_model.safetensors": safetensors(2048, 4),
        f"{LORA_VARIANT}/low_noise_model.safetensors": safetensors(2048, 5),
        "Wan2.2-I2V-A14B-4steps-lora-rank64-Seko-V1/high_noise_model.safetensors": safetensors(2048, 6),
    }


def start(hub: StandInHub, tmp_path: Path, repo: str, target: Path, *extra: str) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HF_")},
        "HF_ENDPOINT": hub.endpoint,
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "PYTHONPATH": str(SIDECAR_DIR),
    }
    command = [sys.executable, "-m", "wan_sidecar.downloads", "--repo", repo, "--target-dir", str(target), *extra]
    return subprocess.Popen(
        command, cwd=SIDECAR_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(hub: StandInHub, tmp_path: Path, repo: str, target: Path, *extra: str) -> tuple[int, list[dict]]:
    process = start(hub, tmp_path, repo, target, *extra)
    stdout, stderr = process.communicate(timeout=180)
    events = [json.loads(line) for line in stdout.splitlines()]
    assert all(isinstance(event, dict) for event in events), stderr
    return process.returncode, events


def ti2v_problems(models: Path) -> dict[str, str]:
    return weights.component_problems(models / weights.MODELS["ti2v-5b"].folder, weights.MODELS["ti2v-5b"])


def marker(folder: Path) -> dict:
    return json.loads((folder / weights.DOWNLOAD_MARKER).read_text())


def test_full_download_is_checked_then_marked_complete(hub, tmp_path):
    target = tmp_path / "models" / "Wan2.2-TI2V-5B-Diffusers"
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 0, events
    plan = events[0]
    assert plan["event"] == "plan" and plan["commit"] == COMMIT
    assert plan["totalBytes"] == plan["neededBytes"] == sum(len(c) for c in ti2v_repo().values())
    assert plan["freeBytes"] > plan["neededBytes"]
    last_progress = [e for e in events if e["event"] == "progress"][-1]
    assert last_progress["done"] == last_progress["total"] == plan["totalBytes"]
    assert events[-1]["event"] == "done"
    for path, content in ti2v_repo().items():
        assert (target / path).read_bytes() == content, path
    assert marker(target)["state"] == "complete" and marker(target)["commit"] == COMMIT
    assert ti2v_problems(tmp_path / "models") == {}
    assert not (target / ".wan-studio-download").exists()
    # LFS files came from the CDN origin after the hub's 302, the others from the hub itself
    big_gets = [r for r in hub.log if r["method"] == "GET" and r["url"] == f"/blobs/{sha256(ti2v_repo()[BIG])}"]
    assert [r["origin"] for r in big_gets] == ["cdn"]


def test_include_fetches_only_the_fast_mode_lora_folder(hub, tmp_path):
    target = tmp_path / "models" / "Wan2.2-Lightning"
    code, events = run(hub, tmp_path, LORA_REPO, target, "--include", f"{LORA_VARIANT}/*")
    assert code == 0, events
    assert sorted(f["path"] for f in events[0]["files"]) == [
        f"{LORA_VARIANT}/high_noise_model.safetensors",
        f"{LORA_VARIANT}/low_noise_model.safetensors",
    ]
    assert not (target / "README.md").exists()
    assert weights.safetensors_problem(target / LORA_VARIANT / "high_noise_model.safetensors") is None
    assert weights.download_problem(target) is None
    assert fast_mode.availability(tmp_path / "models")["available"]


def test_killed_download_resumes_with_a_range_request_and_keeps_finished_files(hub, tmp_path):
    models = tmp_path / "models"
    target = models / "Wan2.2-TI2V-5B-Diffusers"
    hub.stall_at[BIG] = HF_CHUNK + 1024 * 1024
    process = start(hub, tmp_path, WAN_REPO, target, "--jobs", "1")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    while True:  # until the big file's first chunk is on disk
        event = json.loads(lines.get(timeout=120))
        assert event["event"] != "error", event
        if event["event"] == "progress" and event["file"] == BIG and event["fileDone"] >= HF_CHUNK:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    hub.release.set()
    assert marker(target)["state"] == "downloading"
    assert str(target / weights.DOWNLOAD_MARKER) in ti2v_problems(models)  # never complete half-way
    assert not (target / BIG).exists()
    finished_before = {p for p in ti2v_repo() if (target / p).is_file()}

    hub.phase = 2
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 0, events
    assert (target / BIG).read_bytes() == ti2v_repo()[BIG]
    second = [r for r in hub.log if r["phase"] == 2 and r["method"] == "GET"]
    big_url = f"/blobs/{sha256(ti2v_repo()[BIG])}"
    assert [r["range"] for r in second if r["url"] == big_url] == [f"bytes={HF_CHUNK}-"]
    refetched = [r["url"] for r in second if any(r["url"].endswith(f"/{p}") for p in finished_before)]
    assert refetched == []
    first_big = next(e for e in events if e["event"] == "progress" and e["file"] == BIG)
    assert first_big["fileDone"] > HF_CHUNK  # counted from the resumed bytes, not from 0
    assert marker(target)["state"] == "complete" and ti2v_problems(models) == {}


def test_wrong_bytes_are_caught_removed_and_the_model_is_not_complete(hub, tmp_path):
    models = tmp_path / "models"
    target = models / "Wan2.2-TI2V-5B-Diffusers"
    vae = "vae/diffusion_pytorch_model.safetensors"
    hub.corrupt = {vae, "model_index.json"}
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 4
    error = events[-1]
    assert error["event"] == "error" and error["code"] == "check-failed"
    assert set(error["problems"]) == {vae, "model_index.json"}
    assert "sha256" in error["problems"][vae] and "git blob id" in error["problems"]["model_index.json"]
    assert not (target / vae).exists()
    assert marker(target)["state"] == "check-failed"
    assert str(target / weights.DOWNLOAD_MARKER) in ti2v_problems(models)

    hub.corrupt, hub.phase = set(), 2
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 0, events
    assert ti2v_problems(models) == {}


def test_not_enough_disk_space_is_refused_with_both_numbers(hub, tmp_path):
    target = tmp_path / "models" / "Wan2.2-TI2V-5B-Diffusers"
    hub.listed_size[BIG] = 10**18
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 3
    error = events[-1]
    assert error["code"] == "no-space"
    assert error["neededBytes"] > 10**18 - 1 and 0 < error["freeBytes"] < error["neededBytes"]
    assert str(error["neededBytes"]) in error["message"] and str(error["freeBytes"]) in error["message"]
    assert not target.exists()
    assert [r for r in hub.log if "/resolve/" in str(r["url"]) or r["origin"] == "cdn"] == []


def test_unknown_repo_is_one_error_line(hub, tmp_path):
    code, events = run(hub, tmp_path, "Wan-AI/nothing-here", tmp_path / "models" / "x")
    assert code == 1
    assert events[-1]["event"] == "error" and events[-1]["code"] == "not-found"


def test_a_file_the_hub_cannot_serve_ends_the_download_with_one_error_and_no_completion(hub, tmp_path):
    models = tmp_path / "models"
    target = models / "Wan2.2-TI2V-5B-Diffusers"
    hub.unserved = {"vae/config.json"}
    code, events = run(hub, tmp_path, WAN_REPO, target)
    assert code == 1
    assert [e["event"] for e in events].count("error") == 1
    assert events[-1]["code"] == "failed" and "vae/config.json" in events[-1]["message"]
    assert marker(target)["state"] == "downloading"
    assert str(target / weights.DOWNLOAD_MARKER) in ti2v_problems(models)
