"""The synthetic engine, through the sidecar process: stamps, progress, determinism,
continuity between segments, speed."""

from __future__ import annotations

import numpy as np
import pytest

from wan_sidecar.engines.synthetic import Scene
from wan_sidecar.video_io import STAMP_BAND_HEIGHT, read_stamp

from conftest import decode_frames, segment_params


def generate(sidecar, output, **overrides):
    request_id = sidecar.send("generate", segment_params(output, **overrides))
    response = sidecar.response(request_id)
    assert "result" in response, response
    return request_id, response["result"]


def picture(frames):
    """The frames without the stamp band, as ints for differences."""
    return frames[:, STAMP_BAND_HEIGHT:].astype(np.int16)


def test_a_segment_has_the_right_frames_stamps_and_progress(sidecar, ffmpeg, tmp_path):
    output = tmp_path / "shot3-seg2.mp4"
    request_id, result = generate(sidecar, output, shot=3, segment=2, frames=13, steps=4, startFrame=100)

    assert result["output"] == str(output)
    assert (result["frames"], result["width"], result["height"], result["fps"]) == (13, 480, 272, 16)
    assert result["engine"] == "synthetic"
    assert result["elapsedSeconds"] > 0
    assert result["secondsPerStep"] > 0
    assert result["peakRamMiB"] > 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["shot3-seg2.mp4"]

    frames = decode_frames(ffmpeg, output, 480, 272)
    assert [read_stamp(frame) for frame in frames] == [(3, 2, index) for index in range(13)]

    progress = sidecar.progress(request_id)
    assert [(p["step"], p["steps"]) for p in progress] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all((p["shot"], p["segment"], p["expert"]) == (3, 2, None) for p in progress)
    assert progress == sorted(progress, key=lambda p: p["elapsedSeconds"])


def test_more_steps_than_frames(sidecar, ffmpeg, tmp_path):
    request_id, result = generate(sidecar, tmp_path / "a.mp4", frames=1, steps=3)
    assert len(decode_frames(ffmpeg, tmp_path / "a.mp4", 480, 272)) == 1
    assert [p["step"] for p in sidecar.progress(request_id)] == [1, 2, 3]


def test_same_prompt_and_seed_give_the_same_video(sidecar, ffmpeg, tmp_path):
    generate(sidecar, tmp_path / "a.mp4")
    generate(sidecar, tmp_path / "b.mp4")
    first = decode_frames(ffmpeg, tmp_path / "a.mp4", 480, 272)
    second = decode_frames(ffmpeg, tmp_path / "b.mp4", 480, 272)
    assert np.array_equal(first, second)


def test_prompt_and_seed_change_the_picture(sidecar, ffmpeg, tmp_path):
    generate(sidecar, tmp_path / "a.mp4")
    generate(sidecar, tmp_path / "b.mp4", prompt="a lighthouse at dawn")
    generate(sidecar, tmp_path / "c.mp4", seed=43)
    a, b, c = (picture(decode_frames(ffmpeg, tmp_path / name, 480, 272)) for name in ("a.mp4", "b.mp4", "c.mp4"))
    assert np.abs(a - b).mean() > 10
    assert np.abs(a - c).mean() > 10


def test_the_picture_moves(sidecar, ffmpeg, tmp_path):
    generate(sidecar, tmp_path / "a.mp4", frames=17)
    frames = picture(decode_frames(ffmpeg, tmp_path / "a.mp4", 480, 272))
    assert np.abs(frames[0] - frames[16]).mean() > 2


def test_continuing_a_segment(sidecar, ffmpeg, tmp_path):
    # Segment 1 renders shot frames 0..16; segment 2 overlaps it by 4 frames (13..16).
    generate(sidecar, tmp_path / "seg0.mp4", segment=0, frames=17, startFrame=0)
    continue_from = {"path": str(tmp_path / "seg0.mp4"), "frames": 4}
    generate(sidecar, tmp_path / "seg1.mp4", segment=1, frames=17, startFrame=13, continueFrom=continue_from)
    generate(sidecar, tmp_path / "fresh.mp4", segment=1, frames=17, startFrame=13)

    previous = decode_frames(ffmpeg, tmp_path / "seg0.mp4", 480, 272)
    continued = decode_frames(ffmpeg, tmp_path / "seg1.mp4", 480, 272)
    fresh = decode_frames(ffmpeg, tmp_path / "fresh.mp4", 480, 272)
    assert len(continued) == 17
    assert [read_stamp(frame) for frame in continued] == [(3, 1, index) for index in range(17)]
    # The head is the previous tail (one more encode generation apart)...
    assert np.abs(picture(continued[:4]) - picture(previous[-4:])).mean() < 2
    # ...and rendering resumes at shot frame 13 + 4, as if the segment had been rendered whole.
    assert np.abs(picture(continued[4:]) - picture(fresh[4:])).mean() < 2


def test_continuing_from_a_video_of_another_size(sidecar, tmp_path):
    generate(sidecar, tmp_path / "small.mp4", width=512, height=288)
    continue_from = {"path": str(tmp_path / "small.mp4"), "frames": 2}
    response = sidecar.call("generate", segment_params(tmp_path / "b.mp4", continueFrom=continue_from))
    assert response["error"]["code"] == -32602
    assert response["error"]["message"] == "params.continueFrom.path: frames are 512x288, this segment is 480x272"
    assert not (tmp_path / "b.mp4").exists()
    assert not (tmp_path / "b.mp4.partial").exists()


def test_continuing_from_a_shorter_video(sidecar, tmp_path):
    generate(sidecar, tmp_path / "short.mp4", frames=5)
    continue_from = {"path": str(tmp_path / "short.mp4"), "frames": 8}
    response = sidecar.call("generate", segment_params(tmp_path / "b.mp4", continueFrom=continue_from))
    assert response["error"]["code"] == -32000
    assert "has 5 frames" in response["error"]["message"]


def test_a_720p_segment_is_fast(sidecar, ffmpeg, tmp_path):
    _, result = generate(sidecar, tmp_path / "a.mp4", frames=81, width=1280, height=720, steps=8)
    print(f"81 frames of 1280x720: {result['elapsedSeconds']} s")
    assert result["elapsedSeconds"] < 8  # about 1.5 s on 2 idle cores; generous for busy machines
    assert len(decode_frames(ffmpeg, tmp_path / "a.mp4", 1280, 720)) == 81


def test_scene_is_a_pure_function_of_prompt_seed_and_time():
    scene = Scene("a paper boat", 7, 320, 192)
    again = Scene("a paper boat", 7, 320, 192)
    assert np.array_equal(scene.render(12), again.render(12))
    assert not np.array_equal(scene.render(12), scene.render(13))
    assert not np.array_equal(scene.render(12), Scene("a paper boat", 8, 320, 192).render(12))
    frame = scene.render(0)
    assert frame.shape == (192, 320, 3) and frame.dtype == np.uint8


@pytest.mark.parametrize("width, height", [(1280, 720), (720, 1280)])
def test_landscape_and_portrait_720p_continue(sidecar, ffmpeg, tmp_path, width, height):
    size = {"width": width, "height": height}
    generate(sidecar, tmp_path / "seg0.mp4", segment=0, frames=9, startFrame=0, **size)
    continue_from = {"path": str(tmp_path / "seg0.mp4"), "frames": 4}
    generate(sidecar, tmp_path / "seg1.mp4", segment=1, frames=9, startFrame=5, continueFrom=continue_from, **size)
    generate(sidecar, tmp_path / "fresh.mp4", segment=1, frames=9, startFrame=5, **size)

    previous, continued, fresh = (
        decode_frames(ffmpeg, tmp_path / name, width, height) for name in ("seg0.mp4", "seg1.mp4", "fresh.mp4")
    )
    assert previous.shape == continued.shape == (9, height, width, 3)
    assert [read_stamp(frame) for frame in previous] == [(3, 0, index) for index in range(9)]
    assert [read_stamp(frame) for frame in continued] == [(3, 1, index) for index in range(9)]
    assert np.abs(picture(continued[:4]) - picture(previous[-4:])).mean() < 2
    assert np.abs(picture(continued[4:]) - picture(fresh[4:])).mean() < 2
    assert np.abs(picture(previous[:1]) - picture(previous[-1:])).mean() > 1  # it moves


def test_synthetic_out_of_memory_above_a_frame_count(start_sidecar, ffmpeg, tmp_path, monkeypatch):
    monkeypatch.setenv("WAN_STUDIO_SYNTHETIC_OOM_ABOVE", "9")
    sidecar = start_sidecar()
    sidecar.initialize(ffmpeg)
    error = sidecar.call("generate", segment_params(tmp_path / "long.mp4", frames=13))["error"]
    assert error == {
        "code": -32002,
        "message": "out of memory while denoising with plan synthetic on cpu: "
        "13 frames are more than WAN_STUDIO_SYNTHETIC_OOM_ABOVE=9",
        "data": {
            "plan": None,
            "device": "cpu",
            "error": "13 frames are more than WAN_STUDIO_SYNTHETIC_OOM_ABOVE=9",
            "phase": "denoise",
        },
    }
    assert list(tmp_path.iterdir()) == []  # failed before writing anything
    _, result = generate(sidecar, tmp_path / "short.mp4", frames=9)  # at the limit: renders
    assert result["frames"] == 9 and (tmp_path / "short.mp4").exists()
