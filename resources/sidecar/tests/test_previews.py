"""Live previews: `generate`'s `preview` param and the `preview` notifications, both engines.

The synthetic engine is driven through the sidecar process; the diffusers engine through its API
(a preview must be the projection of its x0) and once through the real sidecar process."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image
from test_diffusers_engine import FFMPEG, SWAP_PLAN, Previews, generate, plan, protocol_generate, segment

from wan_sidecar.engines.diffusers_engine import DiffusersEngine
from wan_sidecar.engines.latent_preview import FACTORS, middle_latent_frame

import tiny_models
from conftest import ALLOWED_ROOTS, decode_frames, segment_params


def jpeg(picture: dict) -> np.ndarray:
    assert picture["mime"] == "image/jpeg"
    image = Image.open(io.BytesIO(base64.b64decode(picture["data"], validate=True)))
    assert image.format == "JPEG" and image.size == (picture["width"], picture["height"])
    return np.asarray(image.convert("RGB")).astype(int)


def previews_of(sidecar, request_id) -> list[dict]:
    return [
        n["params"]
        for n in sidecar.notifications
        if n["method"] == "preview" and n["params"]["requestId"] == request_id
    ]


# Synthetic engine, through the sidecar


def test_synthetic_previews_arrive_every_n_steps_and_after_the_last(sidecar, ffmpeg, tmp_path):
    output = tmp_path / "previewed.mp4"
    params = segment_params(output, shot=2, segment=1, frames=9, steps=5, preview={"everySteps": 2, "maxSide": 128})
    request_id = sidecar.send("generate", params)
    assert "result" in sidecar.response(request_id)

    previews = previews_of(sidecar, request_id)
    assert [(p["step"], p["steps"]) for p in previews] == [(2, 5), (4, 5), (5, 5)]
    for preview in previews:
        assert set(preview) == {"requestId", "shot", "segment", "step", "steps", "width", "height", "mime", "data"}
        assert (preview["shot"], preview["segment"]) == (2, 1)
        assert (preview["width"], preview["height"]) == (128, 73)  # 480x272 with its long side at 128
    # The previews form: noise clears step by step, and the last one is the segment's middle frame,
    # downscaled (JPEG and H.264 both round it a little).
    middle = decode_frames(ffmpeg, output, 480, 272)[9 // 2]
    expected = np.asarray(Image.fromarray(middle).resize((128, 73), Image.Resampling.BILINEAR)).astype(int)
    other = np.asarray(Image.fromarray(decode_frames(ffmpeg, output, 480, 272)[0]).resize((128, 73))).astype(int)
    errors = [np.abs(jpeg(preview) - expected).mean() for preview in previews]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 6 and np.abs(jpeg(previews[2]) - other).mean() > 2 * errors[2]


def test_no_preview_param_means_no_previews(sidecar, tmp_path):
    request_id = sidecar.send("generate", segment_params(tmp_path / "plain.mp4", steps=2, preview=None))
    assert "result" in sidecar.response(request_id)
    assert previews_of(sidecar, request_id) == []


@pytest.mark.parametrize(
    ("preview", "field"),
    [
        ({"everySteps": 0, "maxSide": 128}, "params.preview.everySteps"),
        ({"everySteps": 1, "maxSide": 32}, "params.preview.maxSide"),
        ({"everySteps": 1}, "params.preview"),
        ({"everySteps": 1, "maxSide": 128, "format": "png"}, "params.preview"),
    ],
)
def test_bad_preview_params_are_refused(sidecar, tmp_path, preview, field):
    error = sidecar.call("generate", segment_params(tmp_path / "bad.mp4", preview=preview))["error"]
    assert error["code"] == -32602 and error["data"]["field"] == field, error


# Diffusers engine


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    tiny_models.build_t2v_a14b(root)
    tiny_models.build_ti2v_5b(root)
    tiny_models.build_lightning_loras(root)
    return root


def test_a_diffusers_preview_is_the_latent_projection_of_x0(models_dir, tmp_path, monkeypatch):
    engine = DiffusersEngine(models_dir)
    previews = Previews()
    decoded = []
    request = segment(tmp_path / "fast.mp4", models_dir, options={"plan": plan(mode="fast")})
    request = request.__class__(**{**request.__dict__, "preview": preview_request(3, 64)})
    generate(engine, request, previews=previews)  # loads the pipeline
    vae = engine.loaded.pipe.vae
    decode = vae.decode
    monkeypatch.setattr(vae, "decode", lambda z, **kwargs: decoded.append(z.clone()) or decode(z, **kwargs))
    previews.clear()
    generate(engine, request, previews=previews)
    assert [(step, steps) for step, steps, _ in previews] == [(3, 4), (4, 4)]

    # Fast mode's last Euler step lands exactly on x0 (sigma 0), so the last preview must be the
    # projection of the latents the VAE decodes, normalised back into the space the model denoises in.
    mean = torch.tensor(vae.config.latents_mean).view(-1, 1, 1)
    std = torch.tensor(vae.config.latents_std).view(-1, 1, 1)
    final = (decoded[-1][0, :, middle_latent_frame(13)].float().cpu() - mean) / std
    factors, bias = (torch.tensor(values) for values in FACTORS[16])
    rgb = ((torch.einsum("chw,cr->hwr", final, factors) + bias + 1) * 127.5).clamp(0, 255).to(torch.uint8).numpy()
    expected = np.asarray(Image.fromarray(rgb).resize((64, 64), Image.Resampling.BILINEAR)).astype(int)
    last = jpeg(previews[-1][2])
    assert np.abs(last - expected).mean() < 4
    assert np.abs(jpeg(previews[0][2]) - expected).mean() > np.abs(last - expected).mean()


def test_ti2v_previews_use_the_48_channel_factors(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    previews = Previews()
    request = segment(
        tmp_path / "ti2v.mp4", models_dir, width=128, height=64, steps=2, options={"plan": plan(model="ti2v-5b")}
    )
    request = request.__class__(**{**request.__dict__, "preview": preview_request(1, 100)})
    result = generate(engine, request, previews=previews)
    assert [(step, picture["width"], picture["height"]) for step, _, picture in previews] == [
        (1, 100, 50),
        (2, 100, 50),
    ]
    assert all(jpeg(picture).shape == (50, 100, 3) for *_, picture in previews)
    assert result["previewSeconds"] > 0


def preview_request(every_steps: int, max_side: int):
    from wan_sidecar.engines.base import PreviewRequest

    return PreviewRequest(every_steps, max_side)


def test_diffusers_previews_through_the_sidecar(models_dir, tmp_path, start_sidecar):
    sidecar = start_sidecar(prelude=None)
    reply = sidecar.call(
        "initialize", {"ffmpegPath": FFMPEG, "modelsDir": str(models_dir), "allowedRoots": ALLOWED_ROOTS}
    )
    assert "result" in reply, reply
    params = protocol_generate(tmp_path, "previewed.mp4", models_dir, preview={"everySteps": 1, "maxSide": 64})
    request_id = sidecar.send("generate", params)
    result = sidecar.response(request_id, timeout=120)["result"]
    assert result["plan"] == SWAP_PLAN
    previews = previews_of(sidecar, request_id)
    assert [(p["step"], p["steps"], p["width"], p["height"]) for p in previews] == [(1, 2, 64, 64), (2, 2, 64, 64)]
    assert all(jpeg(p).shape == (64, 64, 3) for p in previews)
