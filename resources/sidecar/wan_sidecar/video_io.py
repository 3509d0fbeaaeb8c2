"""Segment video files through ffmpeg pipes, and the frame stamp that lets tests and the
app check which shot, segment and frame a picture came from."""

from __future__ import annotations

import collections
import contextlib
import os
import subprocess
import threading
from pathlib import Path
from typing import IO

import numpy as np

from .errors import EngineError

STDERR_TAIL_LINES = 20

# The stamp: 48 blocks of 10x16 px from the top-left corner, white for 1 and black for 0,
# most significant bit first: shot, segment, frame index within the segment (16 bits each).
STAMP_FIELD_BITS = 16
STAMP_BITS = 3 * STAMP_FIELD_BITS
STAMP_BLOCK_WIDTH = 10
STAMP_HEIGHT = 16
STAMP_WIDTH = STAMP_BITS * STAMP_BLOCK_WIDTH
# The rest of the stamp rows and a few rows below them are a flat dark grey, so codec
# ringing from a busy picture cannot reach the blocks.
STAMP_BAND_HEIGHT = 20
STAMP_BAND_LEVEL = 40


class FfmpegError(EngineError):
    def __init__(self, action: str, returncode: int | None, stderr_tail: list[str]):
        last_line = stderr_tail[-1] if stderr_tail else "no output"
        super().__init__(
            f"ffmpeg failed while {action} (exit code {returncode}): {last_line}",
            {"stderr": stderr_tail},
        )


def partial_path(output: Path) -> Path:
    """Where a segment is written until it is complete."""
    return output.with_name(output.name + ".partial")


class _StderrTail:
    """Drains a process's stderr on a thread (a full pipe would stall ffmpeg) and keeps
    the last lines for error messages."""

    def __init__(self, stream: IO[bytes]):
        self.lines: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self._thread.start()

    def _drain(self, stream: IO[bytes]) -> None:
        for raw_line in stream:
            line = raw_line.decode("utf-8", errors="replace").rstrip()
            if line:
                self.lines.append(line)

    def finish(self) -> list[str]:
        self._thread.join()
        return list(self.lines)


class FrameWriter:
    """Encodes RGB frames into the intermediate segment format (H.264, yuv420p, BT.709,
    limited range, one keyframe per second). Writes `output.partial` and renames it to
    `output` only when the `with` block ends without an exception; otherwise ffmpeg is
    killed and the partial file deleted."""

    def __init__(self, ffmpeg: str, output: Path, width: int, height: int, fps: int):
        self.output = Path(output)
        self.partial = partial_path(self.output)
        self.width = width
        self.height = height
        self.command = [
            ffmpeg, "-hide_banner", "-nostats", "-loglevel", "warning",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
            "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-g", str(fps),
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
            "-movflags", "+faststart",
            "-f", "mp4", "-y", str(self.partial),
        ]  # fmt: skip

    def __enter__(self) -> FrameWriter:
        # A fresh file of our own, never through a symbolic link planted at the partial's name:
        # whatever is there (a dead run's partial, a link) goes, then the file is created exclusively.
        self.partial.unlink(missing_ok=True)
        os.close(os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644))
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.stderr = _StderrTail(self.process.stderr)
        return self

    def write(self, frames: np.ndarray) -> None:
        """Appends one frame (H, W, 3) or a batch (N, H, W, 3) of uint8 RGB."""
        if frames.dtype != np.uint8 or frames.shape[-3:] != (self.height, self.width, 3):
            raise ValueError(
                f"expected uint8 frames of shape ({self.height}, {self.width}, 3), got {frames.dtype} {frames.shape}"
            )
        try:
            self.process.stdin.write(np.ascontiguousarray(frames).data)
        except BrokenPipeError:
            self.process.wait()
            raise FfmpegError("encoding", self.process.returncode, self.stderr.finish()) from None

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is not None:
            self.process.kill()
        # ffmpeg may be gone (killed above, or it failed and its exit code says why).
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        returncode = self.process.wait()
        stderr_tail = self.stderr.finish()
        if exc_type is None and returncode == 0:
            os.replace(self.partial, self.output)
            return
        self.partial.unlink(missing_ok=True)
        if exc_type is None:
            raise FfmpegError("encoding", returncode, stderr_tail)


def read_last_frames(ffmpeg: str, path: Path, count: int) -> np.ndarray:
    """Decodes a video and returns its last `count` frames as (count, H, W, 3) uint8 RGB."""
    # PPM frames carry their own size in a header, so no separate probe of the file is needed.
    command = [
        ffmpeg, "-hide_banner", "-nostats", "-loglevel", "error",
        "-i", str(path), "-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "-",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr = _StderrTail(process.stderr)
    last_frames: collections.deque[np.ndarray] = collections.deque(maxlen=count)
    with process.stdout:
        while (frame := _read_ppm(process.stdout)) is not None:
            last_frames.append(frame)
    returncode = process.wait()
    stderr_tail = stderr.finish()
    if returncode != 0:
        raise FfmpegError(f"decoding {path}", returncode, stderr_tail)
    if len(last_frames) < count:
        raise EngineError(f"{path} has {len(last_frames)} frames; {count} are needed to continue from it")
    return np.stack(last_frames)


def _read_ppm(stream: IO[bytes]) -> np.ndarray | None:
    magic = stream.readline()
    if not magic:
        return None
    if magic != b"P6\n":
        raise EngineError(f"unexpected frame header from ffmpeg: {magic[:20]!r}")
    width, height = (int(value) for value in stream.readline().split())
    stream.readline()  # maximum value, always 255 for rgb24
    pixels = stream.read(width * height * 3)
    if len(pixels) != width * height * 3:
        raise EngineError("ffmpeg's frame stream ended in the middle of a frame")
    return np.frombuffer(pixels, dtype=np.uint8).reshape(height, width, 3)


def stamp(frame: np.ndarray, shot: int, segment: int, frame_index: int) -> np.ndarray:
    """Writes the stamp into `frame` (H, W, 3) in place and returns it. Frames narrower than
    480 px keep only the blocks that fit."""
    values = (shot, segment, frame_index)
    if any(not 0 <= value < 1 << STAMP_FIELD_BITS for value in values):
        raise ValueError(f"stamp values must be in 0..65535, got {values}")
    bits = [(value >> shift) & 1 for value in values for shift in range(STAMP_FIELD_BITS - 1, -1, -1)]
    block_row = np.repeat(np.array(bits, dtype=np.uint8) * 255, STAMP_BLOCK_WIDTH)
    visible = min(frame.shape[1], STAMP_WIDTH)
    frame[:STAMP_BAND_HEIGHT] = STAMP_BAND_LEVEL
    frame[:STAMP_HEIGHT, :visible] = block_row[:visible, None]
    return frame


def read_stamp(frame: np.ndarray) -> tuple[int, int, int]:
    """Reads (shot, segment, frame_index) back from a decoded frame."""
    if frame.shape[1] < STAMP_WIDTH:
        raise ValueError(f"a full stamp needs frames at least {STAMP_WIDTH} px wide, got {frame.shape[1]}")
    # The middle of each block, away from edges that the codec blurs.
    blocks = frame[4:12, :STAMP_WIDTH].reshape(8, STAMP_BITS, STAMP_BLOCK_WIDTH, 3)
    bits = blocks[:, :, 3:7].mean(axis=(0, 2, 3)) >= 128
    fields = []
    for start in range(0, STAMP_BITS, STAMP_FIELD_BITS):
        value = 0
        for bit in bits[start : start + STAMP_FIELD_BITS]:
            value = value << 1 | int(bit)
        fields.append(value)
    return fields[0], fields[1], fields[2]
