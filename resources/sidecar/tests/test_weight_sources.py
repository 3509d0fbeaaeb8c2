"""Weights where people keep them: a Hugging Face cache snapshot (symbolic links into blobs/) named
by initialize.modelDirs, found and loaded by the real loader."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch

from wan_sidecar.engines.base import SegmentRequest
from wan_sidecar.engines.diffusers_engine import DiffusersEngine
from wan_sidecar.errors import WeightsMissing
from wan_sidecar.weights import find_models, require_weights

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


def segment(output: Path, models_dir: Path) -> SegmentRequest:
    return SegmentRequest(
        engine="diffusers", shot=0, segment=0, prompt="a red fox runs through a green field",
        negative_prompt=None, seed=7, frames=5, width=64, height=64, fps=16, steps=2, output=output,
        start_frame=0, continue_from=None,
        options={"modelsDir": str(models_dir), "plan": PLAN, "device": DEVICE},
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
    assert caught.value.data["howToGet"] == "huggingface-cli download Wan-AI/Wan2.2-T2V-A14B-Diffusers"


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
