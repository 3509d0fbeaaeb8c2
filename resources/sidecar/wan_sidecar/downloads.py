"""Downloads Wan2.2 weights from the Hugging Face Hub into the models folder, resumably, then checks them.

Run as its own process so a download never blocks the render sidecar:

    python -m wan_sidecar.downloads --repo Wan-AI/Wan2.2-TI2V-5B-Diffusers --target-dir <models>/<folder>
        [--include PATTERN ...] [--revision main] [--jobs 4]

It prints one JSON object per line on stdout (`plan`, `progress`, `checking`, `done`, `error`) and exits
0 when every file is downloaded and checked. Pausing is killing it: each file is fetched into
<target>/.wan-studio-download/<path>.<hash>.part (named by the content it must hold, so only
matching bytes are ever resumed) and the next run asks for the rest with an HTTP Range request. huggingface_hub's own
local-dir download can't resume across processes (it writes a process-unique temporary file and
deletes it on failure), so this module uses its metadata, URL and HTTP functions and keeps the part
file itself. HF_ENDPOINT (a mirror) and HF_TOKEN are honoured by huggingface_hub.

A file is moved into place only after its size and hash match the hub's metadata (sha256 for LFS
files, the git blob id for the others). The folder's marker (weights.DOWNLOAD_MARKER) says
"downloading" from the first byte and "complete" only after every file passed the check, and
weights.py treats a folder whose marker is not complete as incomplete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlparse

from .atomic_json import write_json_atomic
from .weights import DOWNLOAD_MARKER

PARTIAL_DIR = ".wan-studio-download"
HASH_CHUNK = 8 * 1024 * 1024
PROGRESS_INTERVAL_S = 0.25
SPEED_WINDOW_S = 10.0

EXIT_DONE, EXIT_ERROR, EXIT_NO_SPACE, EXIT_CHECK_FAILED = 0, 1, 3, 4


@dataclass(frozen=True)
class RemoteFile:
    path: str  # relative to the repo root, "/"-separated
    size: int
    sha256: str | None  # LFS files
    blob_id: str | None  # git blob sha1: what the hub states for every file

    @property
    def content_id(self) -> str:
        return self.sha256 or self.blob_id or "unhashed"


def emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def plan_files(repo: str, revision: str, include: list[str]) -> tuple[str, list[RemoteFile]]:
    """The commit the revision points at and the files to fetch, with sizes and hashes from the hub's API."""
    from huggingface_hub import HfApi
    from huggingface_hub.utils import filter_repo_objects

    info = HfApi().model_info(repo, revision=revision, files_metadata=True)
    siblings = list(filter_repo_objects(info.siblings or [], allow_patterns=include or None, key=lambda s: s.rfilename))
    files = []
    for sibling in siblings:
        if sibling.size is None:
            raise ValueError(f"the hub's listing of {repo} gives no size for {sibling.rfilename}")
        sha256 = sibling.lfs.sha256 if sibling.lfs else None
        files.append(RemoteFile(sibling.rfilename, sibling.size, sha256, sibling.blob_id))
    if not files:
        raise ValueError(f"no file in {repo} at {revision} matches {include or ['*']}")
    return info.sha or revision, files


def free_bytes(folder: Path) -> int:
    existing = folder
    while not existing.exists():
        existing = existing.parent
    return shutil.disk_usage(existing).free


def part_path(target: Path, file: RemoteFile) -> Path:
    # Named by path and content: two files with the same bytes never share one, and bytes of an older
    # version of a file are never resumed.
    return target / PARTIAL_DIR / f"{file.path.replace('/', '__')}.{file.content_id}.part"


def bytes_on_disk(target: Path, file: RemoteFile) -> int:
    """What an earlier run left: the whole file in place, or the start of it in its part file."""
    final = target / file.path
    if final.is_file() and final.stat().st_size == file.size:
        return file.size
    part = part_path(target, file)
    return min(part.stat().st_size, file.size) if part.is_file() else 0


def content_problem(path: Path, file: RemoteFile, on_bytes) -> str | None:
    """Why the file at `path` is not the hub's file (size, then sha256 or git blob id), or None."""
    size = path.stat().st_size
    if size != file.size:
        return f"size {size} bytes, the hub says {file.size}"
    if file.sha256:
        digest, expected, name = hashlib.sha256(), file.sha256, "sha256"
    elif file.blob_id:
        digest, expected, name = hashlib.sha1(f"blob {size}\0".encode()), file.blob_id, "git blob id"
    else:
        return None
    with path.open("rb") as source:
        while chunk := source.read(HASH_CHUNK):
            digest.update(chunk)
            on_bytes(len(chunk))
    actual = digest.hexdigest()
    return None if actual == expected else f"{name} {actual}, the hub says {expected}"


class Progress:
    """Bytes done per file and overall, speed over the last seconds, time left; printed at most 4 times a
    second, and a throttled update is printed by the ticker a moment later, so the last state always shows."""

    def __init__(self, files: list[RemoteFile], present: dict[str, int]):
        self.lock = threading.Lock()
        self.sizes = {file.path: file.size for file in files}
        self.done = dict(present)
        self.total = sum(self.sizes.values())
        self.samples: deque[tuple[float, int]] = deque()
        self.fetched = 0  # bytes received by this run: the speed counts only these
        self.last_emit = 0.0
        self.pending: str | None = None  # a file whose latest bytes are not printed yet
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self.tick, daemon=True)
        self.ticker.start()

    def advance(self, path: str, count: int) -> None:
        with self.lock:
            self.done[path] += count
            self.fetched += count
            now = time.monotonic()
            if now - self.last_emit >= PROGRESS_INTERVAL_S or self.done[path] == self.sizes[path]:
                self.last_emit, self.pending = now, None
                emit(self.snapshot(path, now))
            else:
                self.pending = path

    def tick(self) -> None:
        while not self.stopped.wait(PROGRESS_INTERVAL_S):
            with self.lock:
                if self.pending is not None:
                    self.last_emit = time.monotonic()
                    emit(self.snapshot(self.pending, self.last_emit))
                    self.pending = None

    def stop(self) -> None:
        self.stopped.set()
        self.ticker.join()

    def snapshot(self, path: str, now: float) -> dict[str, Any]:
        self.samples.append((now, self.fetched))
        while len(self.samples) > 2 and now - self.samples[0][0] > SPEED_WINDOW_S:
            self.samples.popleft()
        first_time, first_bytes = self.samples[0]
        speed = (self.fetched - first_bytes) / (now - first_time) if now > first_time else 0.0
        done = sum(self.done.values())
        return {
            "event": "progress",
            "file": path,
            "fileDone": self.done[path],
            "fileTotal": self.sizes[path],
            "done": done,
            "total": self.total,
            "bytesPerSecond": round(speed),
            "secondsLeft": round((self.total - done) / speed, 1) if speed > 0 else None,
        }


class CountingWriter:
    """The part file as huggingface_hub's http_get sees it: every chunk reaches the disk before it is counted,
    so a killed process never reports bytes it did not keep."""

    def __init__(self, out: BinaryIO, path: str, progress: Progress):
        self.out, self.path, self.progress = out, path, progress

    def write(self, chunk: bytes) -> int:
        if self.progress.stopped.is_set():
            raise RuntimeError("stopped: another file failed")  # the other files stop at their next chunk
        written = self.out.write(chunk)
        self.out.flush()
        self.progress.advance(self.path, len(chunk))
        return written

    def tell(self) -> int:
        return self.out.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.out.seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        # http_get truncates when a server ignores the Range header and sends the whole file again.
        kept = self.out.truncate(size)
        with self.progress.lock:
            self.progress.done[self.path] = kept
        return kept


def fetch(repo: str, commit: str, target: Path, file: RemoteFile, progress: Progress) -> str | None:
    """Downloads one file (resuming its part file), checks it and moves it into place; the problem, or None."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers

    final = target / file.path
    if final.is_file() and final.stat().st_size == file.size:
        return None  # from an earlier run: the final check reads it
    part = part_path(target, file)
    part.parent.mkdir(parents=True, exist_ok=True)
    resume = part.stat().st_size if part.is_file() else 0
    if resume > file.size:
        part.unlink()
        resume = 0
    url = hf_hub_url(repo, file.path, revision=commit)
    metadata = get_hf_file_metadata(url)
    headers = build_hf_headers()
    if urlparse(metadata.location).netloc != urlparse(url).netloc:
        headers.pop("authorization", None)  # a signed CDN address: the token stays on the hub
    with part.open("ab") as out:
        http_get(
            metadata.location,
            CountingWriter(out, file.path, progress),
            resume_size=resume,
            headers=headers,
            expected_size=file.size,
            displayed_filename=file.path,
        )
    problem = content_problem(part, file, lambda _count: None)
    if problem:
        part.unlink()  # never resumed: the next run fetches it from the start
        return problem
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, final)
    return None


def check_all(target: Path, files: list[RemoteFile], checked_now: set[str]) -> dict[str, str]:
    """Every file in place with the hub's size and hash; files checked as they arrived are only sized."""
    problems: dict[str, str] = {}
    total = sum(file.size for file in files)
    checked = 0
    last_emit = 0.0

    def on_bytes(path: str, count: int) -> None:
        nonlocal checked, last_emit
        checked += count
        if time.monotonic() - last_emit >= PROGRESS_INTERVAL_S:
            last_emit = time.monotonic()
            emit({"event": "checking", "file": path, "checked": checked, "total": total})

    for file in files:
        start = checked
        final = target / file.path
        if not final.is_file():
            problems[file.path] = "missing"
        elif file.path in checked_now:
            size = final.stat().st_size
            if size != file.size:
                problems[file.path] = f"size {size} bytes, the hub says {file.size}"
        else:
            problem = content_problem(final, file, lambda count, path=file.path: on_bytes(path, count))
            if problem:
                problems[file.path] = problem
                final.unlink()  # so the next run fetches it again
        checked = start + file.size
    emit({"event": "checking", "file": None, "checked": total, "total": total})
    return problems


def download(repo: str, target: Path, include: list[str], revision: str, jobs: int) -> int:
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()
    commit, files = plan_files(repo, revision, include)
    present = {file.path: bytes_on_disk(target, file) for file in files}
    total = sum(file.size for file in files)
    needed = total - sum(present.values())
    free = free_bytes(target)
    emit(
        {
            "event": "plan",
            "repo": repo,
            "commit": commit,
            "targetDir": str(target),
            "files": [{"path": file.path, "size": file.size, "present": present[file.path]} for file in files],
            "totalBytes": total,
            "neededBytes": needed,
            "freeBytes": free,
        }
    )
    if needed > free:
        message = f"{repo} needs {needed} more bytes in {target}, and only {free} bytes are free there"
        emit({"event": "error", "code": "no-space", "message": message, "neededBytes": needed, "freeBytes": free})
        return EXIT_NO_SPACE
    target.mkdir(parents=True, exist_ok=True)
    record = {"repo": repo, "commit": commit, "include": include}
    write_json_atomic(target / DOWNLOAD_MARKER, {**record, "state": "downloading"})

    progress = Progress(files, present)
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {file: pool.submit(fetch, repo, commit, target, file, progress) for file in files}
            finished, _ = wait(futures.values(), return_when=FIRST_EXCEPTION)
            failure = next((future.exception() for future in finished if future.exception()), None)
            if failure:  # the first error is the one reported: stop the rest instead of finishing them
                progress.stopped.set()
                pool.shutdown(cancel_futures=True)
                raise failure
            outcomes = {file: future.result() for file, future in futures.items()}
    finally:
        progress.stop()
    problems = {file.path: problem for file, problem in outcomes.items() if problem}
    fetched_and_checked = {
        file.path for file, problem in outcomes.items() if not problem and present[file.path] < file.size
    }
    problems.update(check_all(target, [f for f in files if f.path not in problems], fetched_and_checked))
    if problems:
        write_json_atomic(target / DOWNLOAD_MARKER, {**record, "state": "check-failed", "problems": problems})
        message = f"{len(problems)} file(s) of {repo} did not match the hub's metadata and were removed"
        emit({"event": "error", "code": "check-failed", "message": message, "problems": problems})
        return EXIT_CHECK_FAILED
    checked = {f.path: {"size": f.size, "sha256": f.sha256, "blobId": f.blob_id} for f in files}
    write_json_atomic(target / DOWNLOAD_MARKER, {**record, "state": "complete", "files": checked})
    shutil.rmtree(target / PARTIAL_DIR, ignore_errors=True)
    emit({"event": "done", "repo": repo, "commit": commit, "targetDir": str(target), "files": len(files)})
    return EXIT_DONE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wan_sidecar.downloads", description=__doc__.split("\n")[0])
    parser.add_argument("--repo", required=True, help="Hugging Face model repo, e.g. Wan-AI/Wan2.2-TI2V-5B-Diffusers")
    parser.add_argument("--target-dir", required=True, type=Path, help="folder the repo's files go into")
    parser.add_argument("--include", action="append", default=[], help="glob of repo paths to fetch (repeatable)")
    parser.add_argument("--revision", default="main")
    parser.add_argument("--jobs", type=int, default=4, help="files fetched at once")
    args = parser.parse_args(argv)
    if not args.target_dir.is_absolute():
        emit({"event": "error", "code": "bad-args", "message": f"--target-dir must be absolute: {args.target_dir}"})
        return EXIT_ERROR
    try:
        from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError
    except ImportError:
        message = f"huggingface_hub is not installed in {sys.executable}: set up the engine environment first"
        emit({"event": "error", "code": "no-huggingface-hub", "message": message})
        return EXIT_ERROR
    try:
        return download(args.repo, args.target_dir, args.include, args.revision, args.jobs)
    except Exception as error:  # every failure becomes one error line the app can show
        code = "not-found" if isinstance(error, (RepositoryNotFoundError, RevisionNotFoundError)) else "failed"
        emit({"event": "error", "code": code, "message": f"{type(error).__name__}: {error}"})
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
