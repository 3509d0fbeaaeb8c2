"""video_io: the segment encoder, the tail decoder and the frame stamp."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from wan_sidecar.errors import EngineError
from wan_sidecar.video_io import (
    STAMP_BAND_HEIGHT,
    FfmpegError,
    FrameWriter,
    read_last_frames,
    read_stamp,
    stamp,
)

from conftest import SIDECAR_DIR, decode_frames

WIDTH, HEIGHT = 480, 272
# Saturated colours tell a BT.709 round trip from a BT.601 mix-up; grey checks the range.
COLOURS = [(200, 30, 40), (30, 200, 60), (20, 40, 220), (128, 128, 128)]


def test_pattern(index: int) -> np.ndarray:
    frame = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    for column, colour in enumerate(COLOURS):
        frame[:, column * WIDTH // 4 : (column + 1) * WIDTH // 4] = colour
    frame[STAMP_BAND_HEIGHT:, :] = np.roll(frame[STAMP_BAND_HEIGHT:, :], index * 8, axis=1)
    return stamp(frame, 9, 4, index)


test_pattern.__test__ = False  # a helper, not a test


def write_video(ffmpeg, output, count, fps=16):
    frames = [test_pattern(index) for index in range(count)]
    with FrameWriter(ffmpeg, output, WIDTH, HEIGHT, fps) as writer:
        for frame in frames:
            writer.write(frame)
    return np.stack(frames)


@pytest.mark.parametrize("values", [(0, 0, 0), (1, 2, 3), (65535, 65535, 65535), (3, 0, 80), (40000, 12345, 257)])
def test_stamp_round_trip(values):
    frame = np.full((64, 640, 3), 200, np.uint8)
    assert read_stamp(stamp(frame, *values)) == values
    assert (frame[:STAMP_BAND_HEIGHT, 480:] == 40).all()  # the dark band after the blocks
    assert (frame[16:STAMP_BAND_HEIGHT] == 40).all()  # and below them
    assert (frame[STAMP_BAND_HEIGHT:] == 200).all()  # the picture itself is left alone


def test_stamp_layout_is_msb_first_10px_blocks():
    frame = stamp(np.zeros((64, 480, 3), np.uint8), 0x8000, 1, 0)
    assert (frame[:16, 0:10] == 255).all()  # shot's most significant bit
    assert (frame[:16, 10:160] == 0).all()
    assert (frame[:16, 310:320] == 255).all()  # segment's least significant bit: block 31
    assert (frame[:16, 320:480] == 0).all()


def test_stamp_rejects_values_out_of_range():
    with pytest.raises(ValueError):
        stamp(np.zeros((64, 480, 3), np.uint8), 65536, 0, 0)


def test_narrow_frames_get_the_blocks_that_fit():
    frame = stamp(np.zeros((64, 64, 3), np.uint8), 0xFFFF, 0, 0)
    assert (frame[:16] == 255).all()
    with pytest.raises(ValueError):
        read_stamp(frame)


def test_frame_writer_encodes_the_segment_format(ffmpeg, tmp_path):
    output = tmp_path / "a.mp4"
    sent = write_video(ffmpeg, output, 9)
    assert [path.name for path in tmp_path.iterdir()] == ["a.mp4"]

    info = subprocess.run([ffmpeg, "-hide_banner", "-i", str(output)], capture_output=True, text=True).stderr
    assert "Video: h264" in info
    assert "yuv420p(tv, bt709" in info
    assert f"{WIDTH}x{HEIGHT}" in info
    assert "16 fps" in info

    decoded = decode_frames(ffmpeg, output, WIDTH, HEIGHT)
    assert len(decoded) == 9
    assert [read_stamp(frame) for frame in decoded] == [(9, 4, index) for index in range(9)]
    # Colours survive the BT.709 limited-range round trip.
    difference = np.abs(decoded.astype(int) - sent.astype(int))[:, STAMP_BAND_HEIGHT:]
    assert np.median(difference) <= 3


def test_frame_writer_takes_batches(ffmpeg, tmp_path):
    frames = np.stack([test_pattern(index) for index in range(5)])
    with FrameWriter(ffmpeg, tmp_path / "a.mp4", WIDTH, HEIGHT, 16) as writer:
        writer.write(frames[:3])
        writer.write(frames[3])
        writer.write(frames[4:])
    decoded = decode_frames(ffmpeg, tmp_path / "a.mp4", WIDTH, HEIGHT)
    assert [read_stamp(frame) for frame in decoded] == [(9, 4, index) for index in range(5)]


def test_frame_writer_leaves_nothing_when_the_block_fails(ffmpeg, tmp_path):
    with pytest.raises(RuntimeError), FrameWriter(ffmpeg, tmp_path / "a.mp4", WIDTH, HEIGHT, 16) as writer:
        writer.write(test_pattern(0))
        raise RuntimeError("the engine failed")
    assert writer.process.returncode is not None
    assert list(tmp_path.iterdir()) == []


def test_frame_writer_reports_ffmpeg_failures(ffmpeg, tmp_path):
    # libx264 refuses odd sizes in yuv420p.
    with pytest.raises(FfmpegError) as failure, FrameWriter(ffmpeg, tmp_path / "a.mp4", 65, 64, 16) as writer:
        writer.write(np.zeros((64, 65, 3), np.uint8))
    assert "ffmpeg failed while encoding" in str(failure.value)
    assert failure.value.data["stderr"]
    assert list(tmp_path.iterdir()) == []


def test_frame_writer_checks_frame_shapes(ffmpeg, tmp_path):
    with pytest.raises(ValueError), FrameWriter(ffmpeg, tmp_path / "a.mp4", WIDTH, HEIGHT, 16) as writer:
        writer.write(np.zeros((HEIGHT, WIDTH, 4), np.uint8))
    assert list(tmp_path.iterdir()) == []


def test_read_last_frames(ffmpeg, tmp_path):
    sent = write_video(ffmpeg, tmp_path / "a.mp4", 13)
    last = read_last_frames(ffmpeg, tmp_path / "a.mp4", 4)
    assert last.shape == (4, HEIGHT, WIDTH, 3)
    assert last.dtype == np.uint8
    assert [read_stamp(frame) for frame in last] == [(9, 4, index) for index in range(9, 13)]
    assert np.median(np.abs(last.astype(int) - sent[-4:].astype(int))) <= 3
    assert np.array_equal(last, decode_frames(ffmpeg, tmp_path / "a.mp4", WIDTH, HEIGHT)[-4:])


def test_read_last_frames_wants_enough_frames(ffmpeg, tmp_path):
    write_video(ffmpeg, tmp_path / "a.mp4", 5)
    with pytest.raises(EngineError, match="has 5 frames"):
        read_last_frames(ffmpeg, tmp_path / "a.mp4", 6)


def test_read_last_frames_reports_unreadable_files(ffmpeg, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    with pytest.raises(FfmpegError, match="decoding"):
        read_last_frames(ffmpeg, broken, 1)


@pytest.mark.parametrize("module", ["wan_sidecar.video_io", "wan_sidecar.engines.base", "wan_sidecar.server"])
def test_modules_import_on_their_own(module):
    # Engines import video_io and video_io imports engines.base: no order may form a cycle.
    subprocess.run([sys.executable, "-c", f"import {module}"], cwd=SIDECAR_DIR, check=True)
