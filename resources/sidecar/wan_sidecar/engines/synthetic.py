"""An engine without a model: procedural frames that depend on the prompt, the seed and the
frame's time in the shot, so the whole pipeline (planning, segments, continuity, stitching,
cancellation) can run and be tested on any machine."""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any

import numpy as np

from ..errors import Cancelled, InvalidParams, OutOfMemory
from ..previews import encode_preview
from ..video_io import FrameWriter, read_last_frames, stamp
from .base import Availability, PreviewReporter, SegmentRequest, StepReporter

TAU = 2 * np.pi
# Test hook: segments longer than this many frames fail as out of memory, exactly as the diffusers
# engine reports it, so the app's recovery (shorter segments) can be exercised without a GPU.
OOM_ABOVE_VARIABLE = "WAN_STUDIO_SYNTHETIC_OOM_ABOVE"


class SyntheticEngine:
    id = "synthetic"
    label = "Synthetic (no model)"
    options_schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            # Makes each step take this long, so progress and cancellation can be watched.
            "secondsPerStep": {"type": "number", "minimum": 0, "maximum": 60},
        },
        "additionalProperties": False,
    }

    def availability(self) -> Availability:
        return Availability(True)

    def generate(
        self,
        request: SegmentRequest,
        ffmpeg: str,
        report_step: StepReporter,
        cancelled: threading.Event,
        report_preview: PreviewReporter,
    ) -> dict[str, Any]:
        oom_above = os.environ.get(OOM_ABOVE_VARIABLE)
        if oom_above and request.frames > int(oom_above):
            failure = f"{request.frames} frames are more than {OOM_ABOVE_VARIABLE}={oom_above}"
            raise OutOfMemory(
                f"out of memory while denoising with plan synthetic on cpu: {failure}",
                {"plan": None, "device": "cpu", "error": failure, "phase": "denoise"},
            )
        seconds_per_step = request.options.get("secondsPerStep", 0)
        scene = Scene(request.prompt, request.seed, request.width, request.height)

        # Like the real engine with latents: the previous segment's tail becomes this head.
        head = np.empty((0, request.height, request.width, 3), np.uint8)
        if request.continue_from is not None:
            head = read_last_frames(ffmpeg, request.continue_from.path, request.continue_from.frames)
            if head.shape[1:3] != (request.height, request.width):
                raise InvalidParams(
                    f"params.continueFrom.path: frames are {head.shape[2]}x{head.shape[1]}, "
                    f"this segment is {request.width}x{request.height}"
                )

        # One chunk of frames per step (chunks are empty when there are more steps than frames).
        chunks = np.array_split(np.arange(request.frames), request.steps)

        def draw(index: int) -> np.ndarray:
            frame = head[index].copy() if index < len(head) else scene.render(request.start_frame + index)
            return stamp(frame, request.shot, request.segment, index)

        # Previews show the segment's middle frame, as the diffusers engine does: drawn once, and
        # seen through noise that clears step by step, as a denoised estimate forms.
        middle, middle_frame = request.frames // 2, None
        preview_noise = np.random.default_rng([request.seed, request.shot, request.segment])
        with FrameWriter(ffmpeg, request.output, request.width, request.height, request.fps) as writer:
            for step, chunk in enumerate(chunks, start=1):
                for index in chunk:
                    writer.write(draw(int(index)))
                if cancelled.wait(seconds_per_step):
                    raise Cancelled("cancelled")
                report_step(step, request.steps, None)
                if request.preview and request.preview.is_due(step, request.steps):
                    if middle_frame is None:
                        middle_frame = draw(middle)
                        noise = preview_noise.integers(0, 256, middle_frame.shape, dtype=np.uint8)
                    formed = step / request.steps
                    estimate = (noise * (1 - formed) + middle_frame * formed).astype(np.uint8)
                    picture = encode_preview(estimate, request.width, request.height, request.preview.max_side)
                    report_preview(step, request.steps, picture)
        return {}


class Scene:
    """A moving picture that is a pure function of (prompt, seed, size, time): two drifting
    colour waves, three orbiting discs and a scrolling checker strip along the bottom."""

    def __init__(self, prompt: str, seed: int, width: int, height: int):
        digest = hashlib.sha256(f"{seed}\0{prompt}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest, "big"))
        self.width, self.height = width, height
        self.x = np.arange(width) / width
        self.y = np.arange(height) / height
        self.palette = rng.uniform(20, 255, size=(4, 3))
        # Waves: cycles across the frame, cycles per frame of drift, phase.
        self.column_wave = (rng.uniform(0.5, 2.0), rng.choice([-1, 1]) * rng.uniform(0.005, 0.02), rng.uniform(0, TAU))
        self.row_wave = (rng.uniform(0.5, 1.5), rng.choice([-1, 1]) * rng.uniform(0.004, 0.015), rng.uniform(0, TAU))
        # Discs: radius as a share of the short side, orbit speeds in cycles per frame, phases.
        self.discs = [
            (rng.uniform(0.06, 0.12), rng.uniform(0.003, 0.012, size=2), rng.uniform(0, TAU, size=2)) for _ in range(3)
        ]
        self.checker_size = max(8, height // 24)
        self.checker_speed = rng.uniform(1.0, 4.0) * self.checker_size / 8  # pixels per frame

    def render(self, time: int) -> np.ndarray:
        height, width = self.height, self.width
        # Background: a per-column colour plus a per-row brightness. Adding two small uint8
        # arrays into a (height, width * 3) array is what keeps this fast.
        cycles, speed, phase = self.column_wave
        mix = 0.5 + 0.5 * np.sin(TAU * (cycles * self.x - speed * time) + phase)
        colour_a, colour_b = self.palette[0], self.palette[1]
        columns = ((colour_a + (colour_b - colour_a) * mix[:, None]) * 0.62).astype(np.uint8)  # <= 158
        cycles, speed, phase = self.row_wave
        rows = (48 + 48 * np.sin(TAU * (cycles * self.y + speed * time) + phase)).astype(np.uint8)  # <= 96
        frame = np.add(rows[:, None], columns.reshape(1, -1)).reshape(height, width, 3)

        short_side = min(width, height)
        for index, (radius_share, orbit_speed, orbit_phase) in enumerate(self.discs):
            radius = radius_share * short_side
            centre_x = width * (0.5 + 0.38 * np.sin(TAU * orbit_speed[0] * time + orbit_phase[0]))
            centre_y = height * (0.55 + 0.3 * np.sin(TAU * orbit_speed[1] * time + orbit_phase[1]))
            top, bottom = max(int(centre_y - radius), 0), min(int(centre_y + radius) + 1, height)
            left, right = max(int(centre_x - radius), 0), min(int(centre_x + radius) + 1, width)
            ys, xs = np.ogrid[top:bottom, left:right]
            inside = (xs - centre_x) ** 2 + (ys - centre_y) ** 2 <= radius**2
            frame[top:bottom, left:right][inside] = self.palette[2] * (0.6 + 0.2 * index)

        # Two rows of checkers scrolling sideways: unmistakably not a real video.
        size = self.checker_size
        offset = int(self.checker_speed * time)
        column_parity = ((np.arange(width) + offset) // size) % 2
        row_parity = (np.arange(2 * size) // size) % 2
        checkers = (row_parity[:, None] ^ column_parity[None, :]).astype(bool)
        frame[height - 2 * size :] = np.where(checkers[..., None], self.palette[3], self.palette[3] * 0.25)
        return frame
