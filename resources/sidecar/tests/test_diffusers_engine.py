"""The diffusers engine on tiny random-weight Wan2.2 models, through the engine API and the sidecar.

The models are built and saved in the diffusers layout by tiny_models.py and loaded through the
same loader the app uses. Everything runs on the GPU when torch sees one, else on the CPU.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from wan_sidecar import video_io
from wan_sidecar.engines.base import ContinueFrom, SegmentRequest
from wan_sidecar.engines.diffusers_engine import PHASE_WORDS, DiffusersEngine, encode_overlap
from wan_sidecar.errors import Cancelled, InvalidParams, OutOfMemory, WeightsMissing
from wan_sidecar.weights import find_models

import tiny_models
from conftest import ALLOWED_ROOTS, SIDECAR_DIR, decode_frames

FFMPEG = os.environ.get("WAN_STUDIO_FFMPEG") or shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"

SWAP_PLAN = {
    "gpuIndex": 0,
    "model": "t2v-a14b",
    "precision": "bf16",
    "placement": {"experts": "swap", "textEncoder": "cpu", "vaeTiling": False},
    "segmentFrames": 13,
}


def plan(**changes: Any) -> dict[str, Any]:
    placement = {**SWAP_PLAN["placement"], **changes.pop("placement", {})}
    return {**SWAP_PLAN, **changes, "placement": placement}


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("models")
    model_dir = tiny_models.build_t2v_a14b(root)
    tiny_models.shard_transformer(model_dir)  # load an expert through an index file, as published
    tiny_models.build_ti2v_5b(root)
    return root


def segment(output: Path, models_dir: Path, **fields: Any) -> SegmentRequest:
    options = {"modelsDir": str(models_dir), "plan": SWAP_PLAN, "device": DEVICE, **fields.pop("options", {})}
    values = {
        "engine": "diffusers",
        "shot": 0,
        "segment": 0,
        "prompt": "a red fox runs through a green field",
        "negative_prompt": None,
        "seed": 7,
        "frames": 13,
        "width": 64,
        "height": 64,
        "fps": 16,
        "steps": 4,
        "output": output,
        "start_frame": 0,
        "continue_from": None,
        "options": options,
    }
    return SegmentRequest(**{**values, **fields})


class Steps(list):
    """Collects (step, steps, expert) progress reports."""

    def __call__(self, step: int, steps: int, expert: str | None) -> None:
        self.append((step, steps, expert))


class Previews(list):
    """Collects (step, steps, picture) preview reports."""

    def __call__(self, step: int, steps: int, picture: dict[str, Any]) -> None:
        self.append((step, steps, picture))


def generate(
    engine: DiffusersEngine, request: SegmentRequest, steps: Steps | None = None, previews: Previews | None = None
) -> dict[str, Any]:
    steps = steps if steps is not None else Steps()
    return engine.generate(request, FFMPEG, steps, threading.Event(), previews if previews is not None else Previews())


def decode_all(path: Path) -> np.ndarray:
    return decode_frames(FFMPEG, path, 64, 64)


def pooled(frames: np.ndarray) -> np.ndarray:
    """2x2 box average: H.264 stores chroma at half resolution (yuv420p), so per-pixel colour
    differences below that scale are the codec's, not the engine's."""
    count, height, width, channels = frames.shape
    return frames.astype(np.float64).reshape(count, height // 2, 2, width // 2, 2, channels).mean(axis=(2, 4))


# Generation


def test_two_chained_segments_carry_the_tail_over(models_dir, tmp_path, monkeypatch):
    engine = DiffusersEngine(models_dir)
    first = tmp_path / "first.mp4"
    result = generate(engine, segment(first, models_dir))
    assert result["overlapLatentFrames"] == 0

    decoded_latents = []
    vae = engine.loaded.pipe.vae
    decode = vae.decode
    monkeypatch.setattr(vae, "decode", lambda z, **kwargs: decoded_latents.append(z.clone()) or decode(z, **kwargs))

    overlap = 5  # 4n+1 frames -> (5-1)//4+1 = 2 latent frames
    second = tmp_path / "second.mp4"
    continued = segment(
        second,
        models_dir,
        segment=1,
        prompt="a blue bird flies over the river",  # each segment may have its own prompt
        start_frame=13 - overlap,
        continue_from=ContinueFrom(first, overlap),
    )
    result = generate(engine, continued)
    assert result["overlapLatentFrames"] == 2

    # What the head must reproduce: the previous segment's tail through the VAE (encode, decode).
    device = torch.device(DEVICE)
    tail_latents = encode_overlap(engine.loaded.pipe, continued, FFMPEG, device)
    mean = torch.tensor(vae.config.latents_mean, device=device).view(1, -1, 1, 1, 1)
    std = torch.tensor(vae.config.latents_std, device=device).view(1, -1, 1, 1, 1)
    expected_head = tail_latents * std + mean

    # 1. In latent space the head ends exactly on the tail: the last step injects it at sigma 0.
    final_latents = decoded_latents[-1]
    torch.testing.assert_close(final_latents[:, :, :2].float(), expected_head.float(), atol=1e-4, rtol=1e-4)

    # 2. In the file, the first 5 frames are the decoded tail, up to the H.264 round trip. After 2x2
    # pooling the codec alone leaves ~3 of 255 levels on this noisy content; a segment rendered
    # without continuity lands ~15 away. With random weights decode(encode(x)) is not x, so the
    # previous file's own pixels cannot be the reference; with the real Wan VAE they would be.
    with torch.no_grad():
        reference = vae.decode(expected_head.to(vae.dtype)).sample
    reference = engine.loaded.pipe.video_processor.postprocess_video(reference, output_type="np")[0]
    reference = (reference * 255).round().clip(0, 255).astype(np.uint8)
    head = decode_all(second)[:overlap]
    head_error = np.abs(pooled(head) - pooled(reference)).mean()

    fresh = tmp_path / "fresh.mp4"
    generate(engine, segment(fresh, models_dir, segment=1, prompt=continued.prompt))
    fresh_error = np.abs(pooled(decode_all(fresh)[:overlap]) - pooled(reference)).mean()
    assert head_error < 6, head_error
    assert fresh_error > 2 * head_error, (fresh_error, head_error)

    # overlapStrength 0 blends none of the tail in: the same frames as the fresh segment.
    unpinned = tmp_path / "unpinned.mp4"
    generate(engine, replace(continued, output=unpinned, options={**continued.options, "overlapStrength": 0.0}))
    assert np.array_equal(decode_all(unpinned), decode_all(fresh))


def test_overlap_must_map_onto_whole_latent_frames(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    request = segment(tmp_path / "second.mp4", models_dir, continue_from=ContinueFrom(tmp_path / "first.mp4", 4))
    with pytest.raises(InvalidParams, match=r"continueFrom.frames: 4 is not 4n\+1") as raised:
        generate(engine, request)
    assert raised.value.data["field"] == "params.continueFrom.frames"
    assert engine.loaded is None  # refused before loading anything


def test_same_seed_and_plan_give_the_same_frames(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    paths = [tmp_path / name for name in ("a.mp4", "b.mp4", "c.mp4")]
    generate(engine, segment(paths[0], models_dir))
    generate(DiffusersEngine(models_dir), segment(paths[1], models_dir))  # a fresh load, too
    generate(engine, segment(paths[2], models_dir, seed=8))
    first, again, other_seed = (decode_all(path) for path in paths)
    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other_seed.astype(int)).mean() > 5


def test_expert_swap_keeps_the_idle_expert_on_the_cpu(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    generate(engine, segment(tmp_path / "warm.mp4", models_dir))
    loaded = engine.loaded
    assert loaded.expert_swap.moves == ["transformer", "transformer_2"]

    steps = Steps()
    ran = []  # (step index, expert that ran, its device, the other expert's device)
    for name, expert in loaded.experts.items():
        other = loaded.experts["transformer_2" if name == "transformer" else "transformer"]

        def record(module, args, name=name, other=other):
            ran.append((len(steps), name, next(module.parameters()).device.type, next(other.parameters()).device.type))

        expert.register_forward_pre_hook(record)  # after the swap hook, so it sees the placement used

    result = generate(engine, segment(tmp_path / "swapped.mp4", models_dir), steps)

    # Shift 12 over 4 steps gives timesteps 999, 973, 923, 800: three above the 875 boundary.
    assert steps == [(1, 4, "high-noise"), (2, 4, "high-noise"), (3, 4, "high-noise"), (4, 4, "low-noise")]
    expected_expert = {0: "transformer", 1: "transformer", 2: "transformer", 3: "transformer_2"}
    assert {step for step, *_ in ran} == {0, 1, 2, 3}
    for step, name, device, other_device in ran:  # two calls per step: conditional and unconditional
        assert name == expected_expert[step]
        assert device == DEVICE
        assert other_device == "cpu"
    # The segment started with transformer_2 still on the device from the last one: one swap back,
    # one at the boundary.
    assert loaded.expert_swap.moves == ["transformer", "transformer_2", "transformer", "transformer_2"]
    assert result["plan"]["placement"]["experts"] == "swap"
    assert result["secondsPerStep"] > 0
    assert result["peakVramAllocatedMiB"] is None if DEVICE == "cpu" else result["peakVramAllocatedMiB"] > 0


@pytest.mark.parametrize(("precision", "weight_type"), [("int8", "Int8Tensor"), ("fp8", "Float8Tensor")])
def test_weight_only_quantization(models_dir, tmp_path, precision, weight_type):
    engine = DiffusersEngine(models_dir)
    output = tmp_path / f"{precision}.mp4"
    result = generate(engine, segment(output, models_dir, steps=2, options={"plan": plan(precision=precision)}))
    for expert in engine.loaded.experts.values():
        # The blocks hold nearly all the weights; diffusers keeps the time embedder in float32.
        weights = [module.weight for module in expert.blocks.modules() if isinstance(module, torch.nn.Linear)]
        assert weights and all(type(weight).__name__ == weight_type for weight in weights)
    assert result["plan"]["precision"] == precision
    assert decode_all(output).shape == (13, 64, 64, 3)


@pytest.mark.parametrize(
    "placement",
    [
        {"experts": "resident", "textEncoder": "gpu", "vaeTiling": True},
        {"experts": "stream", "textEncoder": "cpu", "vaeTiling": False},
    ],
)
def test_other_placements(models_dir, tmp_path, placement):
    from diffusers.hooks.group_offloading import _get_group_onload_device

    engine = DiffusersEngine(models_dir)
    output = tmp_path / "out.mp4"
    steps = Steps()
    generate(engine, segment(output, models_dir, steps=2, options={"plan": plan(placement=placement)}), steps)
    pipe = engine.loaded.pipe
    assert pipe.vae.use_tiling == placement["vaeTiling"]
    assert pipe.text_encoder.device.type == (DEVICE if placement["textEncoder"] == "gpu" else "cpu")
    for expert in engine.loaded.experts.values():
        if placement["experts"] == "stream":
            assert _get_group_onload_device(expert).type == DEVICE
            assert next(expert.parameters()).device.type == "cpu"  # blocks come in only while they run
        else:
            assert next(expert.parameters()).device.type == DEVICE
    assert len(steps) == 2 and decode_all(output).shape == (13, 64, 64, 3)


def test_vae_tiling_toggles_on_the_loaded_pipeline(models_dir, tmp_path, monkeypatch):
    engine = DiffusersEngine(models_dir)
    first = generate(engine, segment(tmp_path / "whole.mp4", models_dir, steps=1))
    assert first["loadSeconds"] is not None
    loaded = engine.loaded
    vae = loaded.pipe.vae
    tiling_at_decode = []
    decode = vae.decode
    monkeypatch.setattr(
        vae, "decode", lambda z, **kwargs: tiling_at_decode.append(vae.use_tiling) or decode(z, **kwargs)
    )

    for tiled in (True, False):
        request = segment(
            tmp_path / f"{tiled}.mp4", models_dir, steps=1, options={"plan": plan(placement={"vaeTiling": tiled})}
        )
        result = generate(engine, request)
        assert result["loadSeconds"] is None and result["plan"]["placement"]["vaeTiling"] == tiled
        assert engine.loaded is loaded  # the same experts, never reloaded for a VAE flag
    assert tiling_at_decode == [True, False]


def test_out_of_memory_names_the_phase(models_dir, tmp_path, monkeypatch):
    from wan_sidecar import loading

    engine = DiffusersEngine(models_dir)
    # Unshifted, 2 steps run t = 999 and ~500: both experts, so every segment starts with a swap back.
    request = segment(tmp_path / "out.mp4", models_dir, steps=2, options={"shift": 1.0})

    def fail(*args, **kwargs):
        raise MemoryError("forced")

    def phase_of_failure() -> str:
        with pytest.raises(OutOfMemory) as raised:
            generate(engine, request)
        data = raised.value.data
        assert data["plan"] == SWAP_PLAN and data["error"] == "forced"
        assert str(raised.value).startswith(f"out of memory while {PHASE_WORDS[data['phase']]} with plan")
        return data["phase"]

    with monkeypatch.context() as patch:
        patch.setattr(loading, "load_pipeline", fail)
        assert phase_of_failure() == "load"
    assert engine.loaded is None  # a pipeline that failed to load is dropped

    steps = Steps()
    generate(engine, request, steps)  # loads; transformer_2 stays on the device, transformer waits on the CPU
    assert [expert for *_, expert in steps] == ["high-noise", "low-noise"]
    pipe, experts = engine.loaded.pipe, engine.loaded.experts
    for target, name, phase in (
        (pipe, "encode_prompt", "encode"),
        (experts["transformer"], "to", "load"),  # the swap back to the high-noise expert
        (experts["transformer"], "forward", "denoise"),
        (pipe.vae, "decode", "decode"),
    ):
        with monkeypatch.context() as patch:
            patch.setattr(target, name, fail)
            assert phase_of_failure() == phase, name
    assert engine.loaded.expert_swap.moving is None
    assert generate(engine, request)["loadSeconds"] is None  # still loaded, and it renders


def test_ti2v_5b_single_transformer_with_continuity(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    ti2v_plan = plan(model="ti2v-5b")
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    steps = Steps()
    generate(engine, segment(first, models_dir, options={"plan": ti2v_plan}), steps)
    assert [expert for *_, expert in steps] == [None] * 4  # one transformer, no expert switch
    result = generate(
        engine,
        segment(second, models_dir, segment=1, continue_from=ContinueFrom(first, 5), options={"plan": ti2v_plan}),
    )
    assert result["shift"] == 5.0 and result["overlapLatentFrames"] == 2
    with pytest.raises(InvalidParams, match="multiple of 32"):
        generate(engine, segment(tmp_path / "odd.mp4", models_dir, width=48, options={"plan": ti2v_plan}))


def test_cancel_between_steps(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    cancelled = threading.Event()
    steps = Steps()

    def report(step, total, expert):
        steps(step, total, expert)
        if step == 2:
            cancelled.set()  # as the server does when `cancel` arrives mid-segment

    output = tmp_path / "cancelled.mp4"
    with pytest.raises(Cancelled):
        engine.generate(segment(output, models_dir), FFMPEG, report, cancelled, Previews())
    assert [step for step, *_ in steps] == [1, 2]
    assert not output.exists() and not video_io.partial_path(output).exists()
    generate(engine, segment(output, models_dir, steps=2))  # the engine carries on
    assert output.exists()


# Weights


def test_missing_and_damaged_weights_are_listed(tmp_path):
    model_dir = tiny_models.build_t2v_a14b(tmp_path)
    tiny_models.shard_transformer(model_dir)
    shutil.rmtree(model_dir / "transformer_2")
    (model_dir / "transformer" / "diffusion_pytorch_model-00003-of-00007.safetensors").unlink()
    (model_dir / "tokenizer" / "tokenizer.json").unlink()
    (model_dir / "vae" / "config.json").unlink()
    text_encoder_weights = model_dir / "text_encoder" / "model.safetensors"
    with text_encoder_weights.open("r+b") as file:  # an interrupted download
        file.truncate(text_encoder_weights.stat().st_size // 2)

    expected = {
        str(model_dir / "transformer_2"): "missing",
        str(model_dir / "transformer" / "diffusion_pytorch_model-00003-of-00007.safetensors"): "missing",
        str(model_dir / "tokenizer" / "tokenizer.json"): "missing",
        str(model_dir / "vae" / "config.json"): "missing",
        str(text_encoder_weights): "truncated",
    }
    engine = DiffusersEngine(tmp_path)
    with pytest.raises(WeightsMissing) as raised:
        generate(engine, segment(tmp_path / "out.mp4", tmp_path))
    data = raised.value.data
    assert sorted(data["missing"]) == sorted(expected) and data["problems"] == expected
    assert data["modelDir"] == str(model_dir)
    assert data["howToGet"] == f"hf download Wan-AI/Wan2.2-T2V-A14B-Diffusers --local-dir {model_dir}"
    assert not (tmp_path / "out.mp4").exists()

    listing = find_models(tmp_path)["models"]
    assert listing["t2v-a14b"]["present"] and not listing["t2v-a14b"]["complete"]
    assert listing["ti2v-5b"] == {
        "path": str(tmp_path / tiny_models.TI2V_FOLDER),
        "source": "modelsDir",
        "present": False,
        "complete": False,
        "missing": [str(tmp_path / tiny_models.TI2V_FOLDER)],
    }


def test_availability_reports_versions_device_and_weights(models_dir):
    report = DiffusersEngine(models_dir).availability()
    assert report.available and report.reason is None
    details = report.details
    assert details["python"] == sys.executable
    assert set(details["versions"]) == {"torch", "diffusers", "transformers", "torchao", "accelerate"}
    assert details["cudaAvailable"] == torch.cuda.is_available()
    assert details["models"]["t2v-a14b"]["complete"] and details["models"]["ti2v-5b"]["complete"]
    assert not details["models"]["i2v-a14b"]["present"]


def test_benchmark_smoke_runs_on_any_device():
    run = subprocess.run(
        [sys.executable, "benchmarks/bench_transformer_step.py", "--tiny", "--sizes", "480p", "--attention", "sdpa"],
        cwd=SIDECAR_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["ran"]
    uncompiled = [row for row in report["rows"] if not row["compile"]]
    assert [(row["mode"], row["forwardsPerStep"]) for row in uncompiled] == [("quality", 2), ("fast", 1)]
    assert all(row["secondsPerStep"] > 0 and row["previewShareOfStep"] > 0 for row in report["rows"])
    assert report["previews"]["480p"]["width"] == 48  # a 48x32 latent's preview is never upscaled past the video


# Through the real sidecar protocol


def protocol_generate(tmp_path: Path, name: str, models_dir: Path, **params: Any) -> dict[str, Any]:
    return {
        "engine": "diffusers",
        "shot": 0,
        "segment": 0,
        "prompt": "a dog walks under the night sky",
        "seed": 3,
        "frames": 9,
        "width": 64,
        "height": 64,
        "fps": 16,
        "steps": 2,
        "output": str(tmp_path / name),
        "startFrame": 0,
        "options": {"modelsDir": str(models_dir), "plan": SWAP_PLAN, "device": DEVICE},
        **params,
    }


def test_sidecar_generates_and_survives_out_of_memory(models_dir, tmp_path, start_sidecar):
    sidecar = start_sidecar(prelude=None)  # the real registry, which imports the diffusers engine
    reply = sidecar.call(
        "initialize", {"ffmpegPath": FFMPEG, "modelsDir": str(models_dir), "allowedRoots": ALLOWED_ROOTS}
    )
    engines = {engine["id"]: engine for engine in reply["result"]["engines"]}
    assert engines["diffusers"]["available"], engines["diffusers"]
    assert engines["diffusers"]["details"]["models"]["t2v-a14b"]["complete"]

    request_id = sidecar.send("generate", protocol_generate(tmp_path, "ok.mp4", models_dir))
    result = sidecar.response(request_id, timeout=120)["result"]
    assert result["engine"] == "diffusers" and result["frames"] == 9
    assert result["plan"] == SWAP_PLAN and result["secondsPerStep"] > 0
    assert {"peakVramAllocatedMiB", "peakVramReservedMiB", "peakRamMiB", "loadSeconds"} <= set(result)
    progress = [(item["step"], item["steps"], item["expert"]) for item in sidecar.progress(request_id)]
    assert progress == [(1, 2, "high-noise"), (2, 2, "high-noise")]  # shift 12, 2 steps: t 999, 923
    assert decode_frames(FFMPEG, tmp_path / "ok.mp4", 64, 64).shape == (9, 64, 64, 3)

    # Larger than anything before, so its memory cannot all come from freed blocks: past 4 MiB.
    too_big = protocol_generate(tmp_path, "oom.mp4", models_dir, width=256, height=256, frames=33)
    too_big["options"]["memoryLimitMiB"] = 4
    error = sidecar.response(sidecar.send("generate", too_big), timeout=120)["error"]
    assert error["code"] == -32002, error
    assert "t2v-a14b bf16, experts swap, umT5 on cpu" in error["message"]
    assert error["data"]["plan"] == SWAP_PLAN
    # On the CPU the budget is measured after every step, so it trips at the first step's check:
    # "denoise". On CUDA the allocator fails wherever it first runs out, the transformer or the VAE
    # decode (CUDA not verified here).
    phase = error["data"]["phase"]
    assert phase in ({"denoise"} if DEVICE == "cpu" else {"denoise", "decode"}), phase
    assert error["message"].startswith(f"out of memory while {PHASE_WORDS[phase]} with plan")
    assert not (tmp_path / "oom.mp4").exists() and not (tmp_path / "oom.mp4.partial").exists()

    reply = sidecar.response(sidecar.send("generate", protocol_generate(tmp_path, "after.mp4", models_dir)), 120)
    assert reply["result"]["loadSeconds"] is None  # the same plan: the pipeline stayed loaded
    assert sidecar.process.poll() is None


def test_sidecar_without_torch_reports_the_engine_unavailable(models_dir, tmp_path):
    # A real interpreter where torch is not installed: a bare venv that sees only the sidecar's own
    # dependencies (numpy, jsonschema and what jsonschema imports), linked in from this one.
    venv = tmp_path / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    shared = tmp_path / "shared"
    shared.mkdir()
    probe = (
        "import sys, numpy, jsonschema\n"
        "for name, module in list(sys.modules.items()):\n"
        "    origin = getattr(module, '__file__', None) or ''\n"
        "    if '.' not in name and 'site-packages' in origin: print(origin)"
    )
    origins = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    for origin in map(Path, origins.split()):
        source = origin.parent if origin.name == "__init__.py" else origin
        (shared / source.name).symlink_to(source)
    site_packages = next((venv / "lib").glob("python*/site-packages"))
    (site_packages / "shared.pth").write_text(str(shared) + "\n")
    assert subprocess.run([python, "-c", "import torch"], capture_output=True).returncode != 0

    initialize = {"ffmpegPath": FFMPEG, "modelsDir": str(models_dir), "allowedRoots": ALLOWED_ROOTS}
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize},
        {"jsonrpc": "2.0", "id": 2, "method": "generate", "params": protocol_generate(tmp_path, "no.mp4", models_dir)},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
    ]
    run = subprocess.run(
        [python, "-m", "wan_sidecar"],
        cwd=SIDECAR_DIR,
        env={**os.environ, "PYTHONPATH": str(SIDECAR_DIR)},
        input="".join(json.dumps(request) + "\n" for request in requests),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    responses = {message["id"]: message for message in map(json.loads, run.stdout.splitlines()) if "id" in message}
    engines = {engine["id"]: engine for engine in responses[1]["result"]["engines"]}
    diffusers = engines["diffusers"]
    assert not diffusers["available"]
    assert diffusers["reason"] == f"torch is not installed in {python}: run npm run engine:setup"
    assert diffusers["details"]["models"]["t2v-a14b"]["complete"]  # the weights are found all the same
    assert engines["synthetic"]["available"]
    assert responses[2]["error"]["code"] == -32003
