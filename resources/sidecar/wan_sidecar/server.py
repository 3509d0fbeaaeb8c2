"""The sidecar process: reads JSON-RPC requests from stdin, one per line, answers on stdout,
and runs `generate` on a worker thread so `cancel` is answered while a segment renders."""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import PROTOCOL_VERSION, __version__
from .confine import check_ffmpeg, check_input, check_output, resolve_roots
from .engines import EngineSlot, load_engines
from .engines.base import ContinueFrom, PreviewRequest, SegmentRequest
from .engines.memory import MIB, proc_status_bytes
from .errors import Busy, Cancelled, EngineError, EngineUnavailable, InvalidParams, NotInitialized, unexpected
from .prompting import PromptingHost, register_prompting
from .protocol import (
    GENERATE_SCHEMA,
    INITIALIZE_SCHEMA,
    INTERNAL_ERROR,
    INVALID_REQUEST,
    LINE_TOO_LONG,
    METHOD_NOT_FOUND,
    NO_PARAMS_SCHEMA,
    Request,
    RpcError,
    clip,
    encode_message,
    parse_request,
    read_lines,
    validate,
)
from .video_io import partial_path
from .weights import SingleFiles

log = logging.getLogger("wan_sidecar")

# How long shutdown and end of input wait for a cancelled generate to clean up before exiting.
SHUTDOWN_GRACE_SECONDS = 30

# A handler's return value meaning "the response is sent later, by the worker thread".
ANSWERED_LATER = object()


class MessageWriter:
    """Writes protocol messages, whole lines under a lock, as the worker thread and the
    request loop both send."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self._lock = threading.Lock()
        self._broken = False

    def send(self, message: dict[str, Any]) -> None:
        line = encode_message(message)
        with self._lock:
            if self._broken:
                return
            try:
                self._stream.write(line)
                self._stream.flush()
            except OSError as error:
                # The client is gone; stdin's end will stop the loop. Logging here would recurse,
                # and stderr may be gone with the client.
                self._broken = True
                with contextlib.suppress(OSError):
                    sys.stderr.write(f"wan_sidecar: cannot write to the client any more: {error}\n")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


class LogNotificationHandler(logging.Handler):
    """Mirrors the sidecar's own info-and-above lines, and every library's warnings, as `log`
    notifications so the app can show them without parsing stderr."""

    def __init__(self, writer: MessageWriter):
        super().__init__(level=logging.INFO)
        self.writer = writer
        self.setFormatter(logging.Formatter("%(message)s"))

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith("wan_sidecar")

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            level = "error"
        elif record.levelno >= logging.WARNING:
            level = "warning"
        else:
            level = "info"
        self.writer.notify("log", {"level": level, "message": self.format(record)})


def claim_stdout() -> IO[bytes]:
    """Keeps the real stdout for protocol lines only; everything else that would print there
    (Python print()s and native libraries writing to fd 1) goes to stderr instead."""
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(protocol_fd, "wb")


def configure_logging(writer: MessageWriter) -> None:
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[to_stderr, LogNotificationHandler(writer)])
    log.setLevel(logging.DEBUG)


@dataclass
class Job:
    """The running generate."""

    request: Request
    cancelled: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)


class Sidecar:
    def __init__(self, writer: MessageWriter):
        self.writer = writer
        self.engines: dict[str, EngineSlot] | None = None  # set by initialize
        self.ffmpeg: str | None = None
        self.allowed_roots: list[str] = []
        self.job: Job | None = None
        self.lock = threading.Lock()  # guards self.job
        self.stopping = False
        # One worker thread runs every generate. A thread per segment would exit right after
        # answering, and its teardown (its malloc arena, torch's per-thread pools) would free memory
        # while the next segment measures its own (memoryLimitMiB on the CPU).
        self.jobs: queue.SimpleQueue[tuple[Job, EngineSlot, SegmentRequest]] = queue.SimpleQueue()
        threading.Thread(target=self.work, name="generate", daemon=True).start()
        self.handlers: dict[str, Callable[[Request], Any]] = {
            "initialize": self.initialize,
            "generate": self.generate,
            "cancel": self.cancel,
            "shutdown": self.shutdown,
        }
        register_prompting(
            self.handlers,
            PromptingHost(
                self.writer.send,
                self.respond_error,
                ANSWERED_LATER,
                lambda: self.allowed_roots,
                lambda: self.job is not None,
            ),
        )

    def serve(self, stdin: IO[bytes]) -> None:
        for line in read_lines(stdin):
            if line is None:
                self.respond_error(None, RpcError(INVALID_REQUEST, LINE_TOO_LONG))
                continue
            if not line.strip():
                continue
            try:
                request = parse_request(line)
            except RpcError as error:
                self.respond_error(error.request_id, error)
                continue
            self.dispatch(request)
            if self.stopping:
                return
        log.info("end of input; stopping")
        self.stop_running_job()

    def dispatch(self, request: Request) -> None:
        handler = self.handlers.get(request.method)
        try:
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, f"method not found: {clip(request.method)}")
            result = handler(request)
        except (RpcError, EngineError) as error:
            if not request.is_notification:
                self.respond_error(request.id, error)
            return
        except Exception as error:
            log.exception("%s failed", request.method)
            if not request.is_notification:
                self.respond_error(request.id, RpcError(INTERNAL_ERROR, f"internal error: {error}"))
            return
        if result is not ANSWERED_LATER and not request.is_notification:
            self.writer.send({"jsonrpc": "2.0", "id": request.id, "result": result})

    def respond_error(self, request_id: Any, error: RpcError | EngineError) -> None:
        body: dict[str, Any] = {"code": error.code, "message": str(error)}
        if error.data:
            body["data"] = error.data
        self.writer.send({"jsonrpc": "2.0", "id": request_id, "error": body})

    # Methods

    def initialize(self, request: Request) -> dict[str, Any]:
        validate(INITIALIZE_SCHEMA, request.params)
        with self.lock:
            if self.job is not None:
                raise Busy("busy: cannot initialize while a generate is running", {"requestId": self.job.request.id})
        models_dir = request.params.get("modelsDir")
        roots = resolve_roots(request.params["allowedRoots"])
        model_dirs = absolute_model_dirs(request.params.get("modelDirs", {}))
        model_files = absolute_model_files(request.params.get("modelFiles", {}))
        check_ffmpeg(request.params["ffmpegPath"])
        self.ffmpeg = request.params["ffmpegPath"]
        self.allowed_roots = roots
        self.engines = load_engines(Path(models_dir) if models_dir else None, model_dirs, model_files)
        for slot in self.engines.values():
            log.info("engine %s: %s", slot.id, "available" if slot.availability.available else slot.availability.reason)
        return {
            "version": __version__,
            "protocolVersion": PROTOCOL_VERSION,
            "python": platform.python_version(),
            "engines": [slot.report() for slot in self.engines.values()],
        }

    def generate(self, request: Request) -> object:
        if self.engines is None:
            raise NotInitialized("not initialized: call initialize before generate")
        params = request.params
        validate(GENERATE_SCHEMA, params)
        slot = self.engines[params["engine"]]
        if not slot.availability.available:
            reason = slot.availability.reason
            raise EngineUnavailable(f"the {slot.id} engine is not available: {reason}", {"reason": reason})
        validate(slot.engine.options_schema, params.get("options", {}), "params.options")
        segment = segment_request(params)
        check_output(segment.output, self.allowed_roots)
        if segment.continue_from:
            check_input(segment.continue_from.path, self.allowed_roots)
        with self.lock:
            if self.job is not None:
                raise Busy("busy: a generate is already running", {"requestId": self.job.request.id})
            self.job = Job(request)
            self.jobs.put((self.job, slot, segment))
        return ANSWERED_LATER

    def cancel(self, request: Request) -> dict[str, bool]:
        validate(NO_PARAMS_SCHEMA, request.params)
        with self.lock:
            if self.job is None:
                return {"cancelled": False}
            self.job.cancelled.set()
        log.info("cancelling the running generate")
        return {"cancelled": True}

    def shutdown(self, request: Request) -> None:
        validate(NO_PARAMS_SCHEMA, request.params)
        log.info("shutting down")
        self.stop_running_job()
        self.stopping = True
        return None

    # The worker

    def work(self) -> None:
        while True:
            job, slot, segment = self.jobs.get()
            try:
                self.run_generate(job, slot, segment)
            except Exception:
                log.exception("the generate worker failed")  # a bug; the next generate still runs
            finally:
                job.done.set()

    def run_generate(self, job: Job, slot: EngineSlot, segment: SegmentRequest) -> None:
        log.info(
            "generate shot %d segment %d: %d frames %dx%d, %d steps, engine %s",
            segment.shot, segment.segment, segment.frames, segment.width, segment.height, segment.steps, slot.id,
        )  # fmt: skip
        started = time.monotonic()
        reset_peak_ram()

        def report_step(step: int, steps: int, expert: str | None) -> None:
            self.writer.notify(
                "progress",
                {
                    "requestId": job.request.id,
                    "shot": segment.shot,
                    "segment": segment.segment,
                    "step": step,
                    "steps": steps,
                    "expert": expert,
                    "elapsedSeconds": round(time.monotonic() - started, 3),
                },
            )

        def report_preview(step: int, steps: int, image: dict[str, Any]) -> None:
            where = {"requestId": job.request.id, "shot": segment.shot, "segment": segment.segment}
            self.writer.notify("preview", where | {"step": step, "steps": steps} | image)

        outcome: dict[str, Any] | EngineError
        try:
            extras = slot.engine.generate(segment, self.ffmpeg, report_step, job.cancelled, report_preview)
            elapsed = time.monotonic() - started
            outcome = {
                "output": str(segment.output),
                "frames": segment.frames,
                "width": segment.width,
                "height": segment.height,
                "fps": segment.fps,
                "engine": slot.id,
                "elapsedSeconds": round(elapsed, 3),
                "secondsPerStep": round(elapsed / segment.steps, 3),
                "peakRamMiB": peak_ram_mib(),
                **extras,
            }
        except EngineError as error:
            outcome = error
        except Exception as error:
            log.exception("the %s engine failed", slot.id)
            outcome = unexpected(error)

        with self.lock:
            self.job = None
            # Once cancel answered true, the generate fails as cancelled, whatever else went wrong
            # after it (a cancel after the last step still wins; so does one before a late error).
            if job.cancelled.is_set() and not isinstance(outcome, Cancelled):
                if not isinstance(outcome, EngineError):
                    segment.output.unlink(missing_ok=True)
                outcome = Cancelled("cancelled")

        if isinstance(outcome, EngineError):
            partial_path(segment.output).unlink(missing_ok=True)  # whatever the engine left behind
            log.log(logging.INFO if isinstance(outcome, Cancelled) else logging.WARNING, "generate failed: %s", outcome)
            if not job.request.is_notification:
                self.respond_error(job.request.id, outcome)
        else:
            log.info("generate done in %.1f s: %s", outcome["elapsedSeconds"], segment.output)
            if not job.request.is_notification:
                self.writer.send({"jsonrpc": "2.0", "id": job.request.id, "result": outcome})

    def stop_running_job(self) -> None:
        with self.lock:
            job = self.job
            if job is None:
                return
            job.cancelled.set()
        if not job.done.wait(SHUTDOWN_GRACE_SECONDS):
            log.warning("the running generate did not stop within %d s; exiting anyway", SHUTDOWN_GRACE_SECONDS)


def absolute_model_dirs(model_dirs: dict[str, str]) -> dict[str, Path]:
    """initialize.modelDirs as paths; each must be absolute (it need not exist: availability says)."""
    for model, folder in model_dirs.items():
        if not os.path.isabs(folder):
            raise InvalidParams(f"params.modelDirs.{model}: {folder!r} is not an absolute path")
    return {model: Path(folder) for model, folder in model_dirs.items()}


def absolute_model_files(model_files: dict[str, dict[str, str]]) -> dict[str, SingleFiles]:
    """initialize.modelFiles as SingleFiles; each file must be an absolute path."""
    for model, files in model_files.items():
        for component, path in files.items():
            if not os.path.isabs(path):
                raise InvalidParams(f"params.modelFiles.{model}.{component}: {path!r} is not an absolute path")
    return {
        model: SingleFiles(model, {name: Path(path) for name, path in files.items()})
        for model, files in model_files.items()
    }


def segment_request(params: dict[str, Any]) -> SegmentRequest:
    """The validated `generate` params as the engines see them. JSON Schema counts 81.0 as an
    integer, hence the int()s."""
    head = params.get("continueFrom")
    continue_from = ContinueFrom(Path(head["path"]), int(head["frames"])) if head else None
    preview = params.get("preview")
    return SegmentRequest(
        engine=params["engine"],
        shot=int(params["shot"]),
        segment=int(params["segment"]),
        prompt=params["prompt"],
        negative_prompt=params.get("negativePrompt"),
        seed=int(params["seed"]),
        frames=int(params["frames"]),
        width=int(params["width"]),
        height=int(params["height"]),
        fps=int(params["fps"]),
        steps=int(params["steps"]),
        output=Path(params["output"]),
        start_frame=int(params["startFrame"]),
        continue_from=continue_from,
        options=params.get("options", {}),
        preview=PreviewRequest(int(preview["everySteps"]), int(preview["maxSide"])) if preview else None,
    )


def reset_peak_ram() -> None:
    """Makes the next peak_ram_mib() cover only what follows (Linux; elsewhere the peak
    counts from process start)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_ram_mib() -> float | None:
    """Peak resident memory of this process, or None where the platform does not tell."""
    with contextlib.suppress(OSError):
        return round(proc_status_bytes("VmHWM") / MIB, 1)
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def main() -> int:
    writer = MessageWriter(claim_stdout())
    configure_logging(writer)
    writer.notify("ready", {"version": __version__, "protocolVersion": PROTOCOL_VERSION, "pid": os.getpid()})
    Sidecar(writer).serve(sys.stdin.buffer)
    release_stderr()
    return 0


def release_stderr() -> None:
    """At exit: if stderr (fd 1 points there too) is a broken pipe, the client is gone; send what
    is left to /dev/null instead, so Python's own flush at exit cannot fail and change the code."""
    try:
        sys.stderr.flush()
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.dup2(devnull, 1)
