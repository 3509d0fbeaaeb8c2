"""Fast mode, speed levers and fp16 on tiny random-weight models, through the engine API.

The Lightning LoRAs here are a random pair built by tiny_models.build_lightning_loras, saved in
diffusers' LoRA format where fast mode looks for the real files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from test_diffusers_engine import DEVICE, Steps, decode_all, generate, plan, segment

from wan_sidecar.engines import fast_mode
from wan_sidecar.engines.diffusers_engine import DiffusersEngine
from wan_sidecar.errors import InvalidParams, OutOfMemory

import tiny_models

FAST_PLAN = plan(mode="fast")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("models")
    tiny_models.build_t2v_a14b(root)
    tiny_models.build_ti2v_5b(root)
    tiny_models.build_lightning_loras(root)
    return root


class ForwardCalls(list):
    """(expert name, timestep, batch) of every transformer forward."""

    def watch(self, experts: dict[str, torch.nn.Module]) -> None:
        for name, expert in experts.items():
            expert.register_forward_pre_hook(self.recorder(name), with_kwargs=True)

    def recorder(self, name: str):
        def record(module, args, kwargs):
            self.append((name, float(kwargs["timestep"][0]), kwargs["hidden_states"].shape[0]))

        return record


def test_fast_mode_runs_four_steps_without_the_unconditional_pass(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    quality = tmp_path / "quality.mp4"
    first = generate(engine, segment(quality, models_dir))  # 4 steps with guidance: 8 forwards
    calls = ForwardCalls()
    calls.watch(engine.loaded.experts)
    generate(engine, segment(tmp_path / "quality-again.mp4", models_dir))
    assert len(calls) == 8

    calls.clear()
    steps = Steps()
    fast = tmp_path / "fast.mp4"
    result = generate(engine, segment(fast, models_dir, options={"plan": FAST_PLAN}), steps)
    # One forward per step, on the trained timesteps: two steps per expert at boundary 875.
    assert [(name, round(timestep, 1)) for name, timestep, _ in calls] == [
        ("transformer", 1000.0),
        ("transformer", 937.5),
        ("transformer_2", 833.3),
        ("transformer_2", 625.0),
    ]
    assert {batch for *_, batch in calls} == {1}
    assert steps == [(1, 4, "high-noise"), (2, 4, "high-noise"), (3, 4, "low-noise"), (4, 4, "low-noise")]
    assert result["mode"] == "fast" and result["shift"] == 5.0 and result["guidanceScale"] == 1.0
    assert result["loadSeconds"] is None and result["adapterLoadSeconds"] > 0  # the base stayed loaded
    assert first["loadSeconds"] is not None

    # Both experts carry the adapter, and it changes the picture.
    for expert in engine.loaded.experts.values():
        assert "lightning" in expert.peft_config
    assert np.abs(decode_all(fast).astype(int) - decode_all(quality).astype(int)).mean() > 5

    # Back to quality: the adapter is switched off, nothing reloads, the frames are the first ones.
    back = tmp_path / "back.mp4"
    result = generate(engine, segment(back, models_dir))
    assert result["loadSeconds"] is None and result["adapterLoadSeconds"] is None and result["mode"] == "quality"
    assert np.array_equal(decode_all(back), decode_all(quality))


def test_a_failed_adapter_load_leaves_no_half_adapter(models_dir, tmp_path, monkeypatch):
    engine = DiffusersEngine(models_dir)
    generate(engine, segment(tmp_path / "quality.mp4", models_dir, steps=1))
    pipe, experts = engine.loaded.pipe, engine.loaded.experts
    load = pipe.load_lora_weights
    calls = []

    def fail_on_the_low_noise_file(*args, **kwargs):
        calls.append(kwargs)
        if kwargs.get("load_into_transformer_2"):
            raise MemoryError("forced")
        return load(*args, **kwargs)

    fast = segment(tmp_path / "fast.mp4", models_dir, options={"plan": FAST_PLAN})
    with monkeypatch.context() as patch:
        patch.setattr(pipe, "load_lora_weights", fail_on_the_low_noise_file)
        with pytest.raises(OutOfMemory) as raised:
            generate(engine, fast)
    assert raised.value.data["phase"] == "load" and len(calls) == 2
    assert all("lightning" not in (getattr(expert, "peft_config", None) or {}) for expert in experts.values())
    result = generate(engine, fast)  # the next try loads both files, into the same pipeline
    assert result["loadSeconds"] is None and result["adapterLoadSeconds"] > 0


def test_loras_in_the_original_wan_key_format_load_the_same(models_dir, tmp_path):
    """lightx2v publishes the LoRAs under the original Wan module names; diffusers converts them."""
    wan_format = tmp_path / "models"
    tiny_models.build_t2v_a14b(wan_format)
    tiny_models.build_lightning_loras(wan_format, key_format="wan")
    outputs = [tmp_path / "diffusers-format.mp4", tmp_path / "wan-format.mp4"]
    for root, output in zip((models_dir, wan_format), outputs, strict=True):
        generate(DiffusersEngine(root), segment(output, root, options={"plan": FAST_PLAN}))
    diffusers_frames, wan_frames = (decode_all(output) for output in outputs)
    assert np.abs(diffusers_frames.astype(int) - wan_frames.astype(int)).max() <= 2


def test_the_lightning_scheduler_has_the_trained_sigmas():
    scheduler = fast_mode.lightning_scheduler()
    scheduler.set_timesteps(4)
    torch.testing.assert_close(scheduler.sigmas, torch.tensor([1.0, 0.9375, 5 / 6, 0.625, 0.0]))
    torch.testing.assert_close(scheduler.timesteps, torch.tensor([1000.0, 937.5, 2500 / 3, 625.0]))


@pytest.mark.parametrize(("precision", "weight_type"), [("int8", "Int8Tensor"), ("fp8", "Float8Tensor")])
def test_fast_mode_on_quantized_experts(models_dir, tmp_path, precision, weight_type):
    engine = DiffusersEngine(models_dir)
    # Streamed experts too: diffusers takes group offloading off while it adds the adapter.
    quantized = plan(precision=precision, placement={"experts": "stream"} if precision == "fp8" else {})
    quality, fast = tmp_path / "quality.mp4", tmp_path / "fast.mp4"
    generate(engine, segment(quality, models_dir, options={"plan": quantized}))
    generate(engine, segment(fast, models_dir, options={"plan": quantized | {"mode": "fast"}}))
    for expert in engine.loaded.experts.values():
        # The adapter runs unfused beside the quantized base weights, which stay quantized.
        lora_layers = [module for module in expert.blocks.modules() if hasattr(module, "lora_A")]
        assert lora_layers and all(type(layer).__name__ == "TorchaoLoraLinear" for layer in lora_layers)
        assert all(type(layer.base_layer.weight).__name__ == weight_type for layer in lora_layers)
    assert np.abs(decode_all(fast).astype(int) - decode_all(quality).astype(int)).mean() > 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"steps": 8}, "params.steps"),
        ({"options": {"plan": plan(mode="fast", model="ti2v-5b")}}, "params.options.plan.mode"),
        ({"options": {"plan": FAST_PLAN, "shift": 3.0}}, "params.options.shift"),
    ],
)
def test_fast_mode_refuses_what_the_loras_were_not_trained_for(models_dir, tmp_path, change, field):
    engine = DiffusersEngine(models_dir)
    request = segment(tmp_path / "out.mp4", models_dir, **({"options": {"plan": FAST_PLAN}} | change))
    with pytest.raises(InvalidParams) as raised:
        generate(engine, request)
    assert raised.value.data["field"] == field and engine.loaded is None


def test_fast_mode_needs_both_lora_files(tmp_path):
    tiny_models.build_t2v_a14b(tmp_path)
    paths = tiny_models.build_lightning_loras(tmp_path)
    available = DiffusersEngine(tmp_path).availability().details["fastMode"]
    assert available["available"] and available["reason"] is None
    assert available["files"] == [
        {"role": "high-noise", "path": str(paths["high-noise"]), "present": True},
        {"role": "low-noise", "path": str(paths["low-noise"]), "present": True},
    ]
    assert available["howToGet"] == (
        'hf download lightx2v/Wan2.2-Lightning --include "Wan2.2-T2V-A14B-4steps-lora-rank64-Seko-V1.1/*" '
        f"--local-dir {tmp_path / 'Wan2.2-Lightning'}"
    )

    paths["low-noise"].unlink()
    missing = DiffusersEngine(tmp_path).availability().details["fastMode"]
    assert not missing["available"] and [file["present"] for file in missing["files"]] == [True, False]
    assert missing["reason"] == f"the low-noise LoRA {paths['low-noise']} is missing"
    with pytest.raises(InvalidParams, match="fast mode is not available: the low-noise LoRA") as raised:
        generate(DiffusersEngine(tmp_path), segment(tmp_path / "out.mp4", tmp_path, options={"plan": FAST_PLAN}))
    assert raised.value.data["field"] == "params.options.plan.mode"
    assert "hf download lightx2v/Wan2.2-Lightning" in str(raised.value)


# Speed levers and precision


def test_speed_levers_report_and_refuse_what_is_not_available(models_dir, tmp_path):
    levers = DiffusersEngine(models_dir).availability().details["speedLevers"]
    assert levers["attentionBackends"][0] == "sdpa"
    if DEVICE == "cpu":
        assert levers["attentionBackends"] == ["sdpa"]
        assert levers["compile"] == {
            "available": False,
            "reason": "compilation is offered on CUDA only (no CUDA GPU is visible to torch)",
        }
    refused = [("attention", name) for name in levers["attentionUnavailable"]]
    refused += [("compile", True)] if not levers["compile"]["available"] else []
    assert refused or DEVICE == "cuda"
    engine = DiffusersEngine(models_dir)
    for lever, value in refused:
        speed = {"compile": False, "attention": "sdpa", lever: value}
        with pytest.raises(InvalidParams) as raised:
            generate(engine, segment(tmp_path / "out.mp4", models_dir, options={"plan": plan(speed=speed)}))
        assert raised.value.data["field"] == f"params.options.plan.speed.{lever}"
        assert "not available" in str(raised.value)
    assert engine.loaded is None

    result = generate(
        engine,
        segment(
            tmp_path / "sdpa.mp4",
            models_dir,
            steps=1,
            options={"plan": plan(speed={"compile": False, "attention": "sdpa"})},
        ),
    )
    assert result["attention"] == "sdpa" and result["compileSeconds"] is None


@pytest.mark.skipif(DEVICE != "cuda", reason="compilation is offered on CUDA only")
def test_compile_on_cuda_is_timed_and_survives_a_mode_switch(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    compiled = plan(speed={"compile": True, "attention": "sdpa"})
    first = generate(engine, segment(tmp_path / "a.mp4", models_dir, options={"plan": compiled}))
    assert first["compileSeconds"] > 0 and engine.loaded.compiled
    again = generate(engine, segment(tmp_path / "b.mp4", models_dir, options={"plan": compiled}))
    assert again["loadSeconds"] is None and again["compileSeconds"] < first["compileSeconds"]
    fast = generate(engine, segment(tmp_path / "c.mp4", models_dir, options={"plan": compiled | {"mode": "fast"}}))
    assert fast["loadSeconds"] is None and fast["compileSeconds"] is not None
    # Turning compilation off again reloads: torch has no public way to undo it.
    plain = generate(engine, segment(tmp_path / "d.mp4", models_dir))
    assert plain["loadSeconds"] is not None and not engine.loaded.compiled and plain["compileSeconds"] is None


def test_fp16_loads_the_transformers_and_text_encoder_in_half_precision(models_dir, tmp_path):
    engine = DiffusersEngine(models_dir)
    output = tmp_path / "fp16.mp4"
    result = generate(engine, segment(output, models_dir, steps=2, options={"plan": plan(precision="fp16")}))
    pipe = engine.loaded.pipe
    for expert in engine.loaded.experts.values():
        assert expert.blocks[0].attn1.to_q.weight.dtype == torch.float16
    assert pipe.text_encoder.dtype == torch.float16
    assert pipe.vae.dtype == torch.float32  # the VAE stays float32 in every precision
    assert result["plan"]["precision"] == "fp16" and decode_all(output).shape == (13, 64, 64, 3)
