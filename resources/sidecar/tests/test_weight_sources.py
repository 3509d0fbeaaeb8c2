"""Weights where people keep them, found and loaded by the real loader: a Hugging Face cache snapshot
(symbolic links into blobs/) named by initialize.modelDirs, and ComfyUI's single files named by
initialize.modelFiles."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sentencepiece
import torch
from diffusers import AutoencoderKLWan, WanTransformer3DModel
from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers, convert_wan_vae_to_diffusers
from safetensors.torch import load_file, save_file

from wan_sidecar import single_file
from wan_sidecar.engines.base import SegmentRequest
from wan_sidecar.engines.diffusers_engine import DiffusersEngine
from wan_sidecar.errors import WeightsMissing
from wan_sidecar.weights import SingleFiles, find_models, require_weights

import tiny_models
from conftest import ALLOWED_ROOTS, NO_DIFFUSERS

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
PLAN = {
    "model": "t2v-a14b",
    "precision": "bf16",
    "placement": {"experts": "swap", "textEncoder": "cpu", "vaeTiling": False},
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[Path, Path]:
    """(hub cache folder, the T2V snapshot folder in it)."""
    root = tmp_path_factory.mktemp("weights")
    hub_dir = root / "huggingface" / "hub"
    snapshot = tiny_models.hub_cache_layout(tiny_models.build_t2v_a14b(root / "built"), hub_dir)
    return hub_dir, snapshot


def segment(output: Path, models_dir: Path | None) -> SegmentRequest:
    folder = {"modelsDir": str(models_dir)} if models_dir else {}
    return SegmentRequest(
        engine="diffusers", shot=0, segment=0, prompt="a red fox runs through a green field",
        negative_prompt=None, seed=7, frames=5, width=64, height=64, fps=16, steps=2, output=output,
        start_frame=0, continue_from=None,
        options={**folder, "plan": PLAN, "device": DEVICE},
    )  # fmt: skip


def test_the_snapshot_is_a_real_hub_layout(hub):
    hub_dir, snapshot = hub
    files = [path for path in snapshot.rglob("*") if not path.is_dir()]
    assert files and all(path.is_symlink() and not path.readlink().is_absolute() for path in files)
    assert {path.resolve().parent for path in files} == {snapshot.parents[1] / "blobs"}
    repo_dir = snapshot.parents[1]
    assert (repo_dir / "refs" / "main").read_text() == snapshot.name


def test_model_dirs_come_before_the_models_folder_and_say_so(hub, tmp_path):
    _, snapshot = hub
    listing = find_models(tmp_path, {"t2v-a14b": snapshot})
    assert listing["models"]["t2v-a14b"] == {
        "path": str(snapshot), "source": "modelDirs", "present": True, "complete": True, "missing": [],
    }  # fmt: skip
    assert listing["models"]["ti2v-5b"]["source"] == "modelsDir"
    assert listing["models"]["ti2v-5b"]["path"] == str(tmp_path / "Wan2.2-TI2V-5B-Diffusers")
    assert require_weights(tmp_path, "t2v-a14b", {"t2v-a14b": snapshot}) == snapshot


def test_without_a_models_folder_only_the_named_models_are_listed(hub):
    _, snapshot = hub
    listing = find_models(None, {"t2v-a14b": snapshot})
    assert listing["modelsDir"] is None
    assert list(listing["models"]) == ["t2v-a14b"]
    with pytest.raises(WeightsMissing, match="no modelsDir and no modelDirs.ti2v-5b"):
        require_weights(None, "ti2v-5b", {"t2v-a14b": snapshot})


def test_a_blob_missing_from_the_cache_is_named(hub, tmp_path):
    _, snapshot = hub
    # A copy of the snapshot's links whose VAE link points at a blob that is not there.
    broken = tmp_path / "snapshots" / "feedface"
    for link in snapshot.rglob("*"):
        if link.is_symlink():
            target = broken / link.relative_to(snapshot)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(link.resolve())
    vae_weights = broken / "vae" / "diffusion_pytorch_model.safetensors"
    vae_weights.unlink()
    vae_weights.symlink_to(tmp_path / "blobs" / "absent")
    with pytest.raises(WeightsMissing) as caught:
        require_weights(None, "t2v-a14b", {"t2v-a14b": broken})
    assert caught.value.data["problems"] == {str(vae_weights): "missing"}
    assert caught.value.data["source"] == "modelDirs"
    assert caught.value.data["howToGet"] == "hf download Wan-AI/Wan2.2-T2V-A14B-Diffusers"


def test_the_engine_renders_from_the_snapshot(hub, tmp_path, ffmpeg):
    """The real loader follows the snapshot's links into blobs/ (nothing copied, nothing fetched)."""
    _, snapshot = hub
    engine = DiffusersEngine(tmp_path / "models", {"t2v-a14b": snapshot})
    assert engine.availability().details["models"]["t2v-a14b"]["source"] == "modelDirs"
    output = tmp_path / "out.mp4"
    result = engine.generate(
        segment(output, tmp_path / "models"), ffmpeg, lambda *_: None, threading.Event(), lambda *_: None
    )
    assert output.is_file() and result["loadSeconds"] is not None
    assert Path(engine.loaded_key[0]) == snapshot


def test_the_engine_renders_from_the_snapshot_without_a_models_folder(hub, tmp_path, ffmpeg):
    """Weights in the Hugging Face cache alone are enough: no models folder anywhere."""
    _, snapshot = hub
    engine = DiffusersEngine(None, {"t2v-a14b": snapshot})
    output = tmp_path / "out.mp4"
    engine.generate(segment(output, None), ffmpeg, lambda *_: None, threading.Event(), lambda *_: None)
    assert output.is_file() and Path(engine.loaded_key[0]) == snapshot


def test_without_any_source_generate_names_what_is_missing(tmp_path, ffmpeg):
    engine = DiffusersEngine(None, {})
    with pytest.raises(WeightsMissing, match="initialize named no modelsDir and no modelDirs.t2v-a14b"):
        engine.generate(
            segment(tmp_path / "out.mp4", None), ffmpeg, lambda *_: None, threading.Event(), lambda *_: None
        )
    assert not (tmp_path / "out.mp4").exists()


@pytest.mark.parametrize(
    ("model_dirs", "message"),
    [
        ({"t2v-a14b": "relative/snapshot"}, "params.modelDirs.t2v-a14b: 'relative/snapshot' is not an absolute path"),
        ({"wan-9000": "/abs"}, "params.modelDirs: 'wan-9000' is not one of ['t2v-a14b', 'i2v-a14b', 'ti2v-5b']"),
        ({"t2v-a14b": 3}, "params.modelDirs.t2v-a14b: 3 is not of type 'string'"),
    ],
)
def test_initialize_refuses_bad_model_dirs(start_sidecar, ffmpeg, model_dirs, message):
    sidecar = start_sidecar(NO_DIFFUSERS)
    params = {"ffmpegPath": ffmpeg, "allowedRoots": ALLOWED_ROOTS, "modelDirs": model_dirs}
    error = sidecar.call("initialize", params)["error"]
    assert (error["code"], error["message"]) == (-32602, message)


# ComfyUI single files


@pytest.fixture(scope="module")
def comfy(tmp_path_factory) -> tuple[dict[str, Path], Path]:
    """(component -> file under <ComfyUI>/models, the tiny configs folder standing in for configs/)."""
    root = tmp_path_factory.mktemp("comfy")
    files = tiny_models.build_comfy_t2v(root / "ComfyUI", root / "configs" / "t2v-a14b")
    return files, root / "configs"


@pytest.fixture
def tiny_configs(comfy, monkeypatch):
    """The loader reads the tiny models' configs instead of the shipped 14B ones."""
    monkeypatch.setattr(single_file, "CONFIGS", comfy[1])


def test_the_files_have_the_key_names_diffusers_converts(comfy):
    """diffusers' own single-file conversion turns the files back into the diffusers models' keys."""
    files, configs = comfy
    expert = load_file(files["transformer"])
    assert "head.modulation" in expert and "blocks.0.self_attn.q.weight" in expert
    converted = convert_wan_transformer_to_diffusers(dict(expert))
    assert set(converted) == set(tiny_models.build_transformer(16).state_dict())
    vae = load_file(files["vae"])
    assert "decoder.middle.0.residual.0.gamma" in vae
    built = AutoencoderKLWan.from_config(AutoencoderKLWan.load_config(configs / "t2v-a14b" / "vae"))
    assert set(convert_wan_vae_to_diffusers(vae)) == set(built.state_dict())
    assert load_file(files["text_encoder"])["spiece_model"].dtype == torch.uint8


def test_single_files_are_listed_with_their_source(comfy, tmp_path):
    files, _ = comfy
    source = SingleFiles("t2v-a14b", files)
    listing = find_models(tmp_path, None, {"t2v-a14b": source})["models"]["t2v-a14b"]
    assert listing["source"] == "modelFiles" and listing["complete"] and listing["missing"] == []
    assert listing["files"] == {name: str(path) for name, path in files.items()}
    # A folder named in modelDirs wins over the single files.
    assert (
        find_models(tmp_path, {"t2v-a14b": tmp_path}, {"t2v-a14b": source})["models"]["t2v-a14b"]["source"]
        == "modelDirs"
    )
    partial = SingleFiles("t2v-a14b", {name: path for name, path in files.items() if name != "vae"})
    with pytest.raises(WeightsMissing) as caught:
        require_weights(tmp_path, "t2v-a14b", None, {"t2v-a14b": partial})
    assert caught.value.data["problems"] == {"vae": "missing"}


def test_the_loader_builds_the_pipeline_from_the_files(comfy, tiny_configs):
    files, _ = comfy
    pipe = single_file.load_pipeline_parts(SingleFiles("t2v-a14b", files), torch.float16, None)
    for name in ("transformer", "transformer_2"):
        expected = convert_wan_transformer_to_diffusers(dict(load_file(files[name])))
        loaded = getattr(pipe, name).state_dict()
        assert all(torch.equal(loaded[key].half(), value) for key, value in expected.items()), name
    umt5 = load_file(files["text_encoder"])
    assert torch.equal(pipe.text_encoder.encoder.embed_tokens.weight, umt5["shared.weight"])
    assert torch.equal(
        pipe.text_encoder.encoder.block[1].layer[0].SelfAttention.q.weight,
        umt5["encoder.block.1.layer.0.SelfAttention.q.weight"],
    )
    assert pipe.vae.dtype == torch.float32 and pipe.config.boundary_ratio == 0.875
    processor = sentencepiece.SentencePieceProcessor(model_proto=bytes(umt5["spiece_model"].tolist()))
    prompt = "a red fox runs over the river"
    assert pipe.tokenizer(prompt).input_ids == processor.encode(prompt) + [1]  # and </s>


def test_the_engine_renders_from_comfyui_files(comfy, tiny_configs, tmp_path, ffmpeg):
    files, _ = comfy
    engine = DiffusersEngine(tmp_path / "models", None, {"t2v-a14b": SingleFiles("t2v-a14b", files)})
    output = tmp_path / "out.mp4"
    engine.generate(segment(output, tmp_path / "models"), ffmpeg, lambda *_: None, threading.Event(), lambda *_: None)
    assert output.is_file()


def test_a_text_encoder_without_its_tokenizer_is_named(comfy, tiny_configs, tmp_path):
    files, _ = comfy
    state = load_file(files["text_encoder"])
    del state["spiece_model"]
    bare = tmp_path / "umt5_xxl_fp16.safetensors"
    save_file(state, bare)
    with pytest.raises(WeightsMissing, match="has no `spiece_model` tensor"):
        single_file.load_umt5(bare, "t2v-a14b", torch.float16)


def test_the_shipped_configs_describe_the_released_models():
    """Built without weights: the A14B experts have 14B parameters each, umT5-XXL 5.7B (its encoder)."""
    from accelerate import init_empty_weights
    from transformers import UMT5Config, UMT5EncoderModel

    configs = single_file.CONFIGS / "t2v-a14b"

    def billions(model) -> float:
        return sum(parameter.numel() for parameter in model.parameters()) / 1e9

    with torch.device("meta"):  # as single_file.load_umt5 builds it: the encoder's embedding is `shared`
        encoder = UMT5EncoderModel(UMT5Config.from_json_file(configs / "text_encoder" / "config.json"))
    with init_empty_weights():
        expert = WanTransformer3DModel.from_config(WanTransformer3DModel.load_config(configs / "transformer"))
        vae = AutoencoderKLWan.from_config(AutoencoderKLWan.load_config(configs / "vae"))
    assert round(billions(expert), 1) == 14.3
    assert round(billions(encoder), 1) == 5.7
    assert vae.config.z_dim == 16 and vae.config.base_dim == 96


def test_initialize_refuses_a_relative_single_file(start_sidecar, ffmpeg):
    sidecar = start_sidecar(NO_DIFFUSERS)
    params = {
        "ffmpegPath": ffmpeg,
        "allowedRoots": ALLOWED_ROOTS,
        "modelFiles": {"t2v-a14b": {"vae": "vae.safetensors"}},
    }
    error = sidecar.call("initialize", params)["error"]
    assert (error["code"], error["message"]) == (
        -32602,
        "params.modelFiles.t2v-a14b.vae: 'vae.safetensors' is not an absolute path",
    )
