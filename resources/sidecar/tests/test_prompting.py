"""The prompt.* methods (PROMPTING.md) on a tiny random-weight Qwen2 model on the CPU, through the
real sidecar process; the cache and the model holder in-process."""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path

import pytest
import torch
from tiny_helper_model import build_tiny_qwen

from wan_sidecar.prompting.cache import PromptCache, cache_key
from wan_sidecar.prompting.helper_model import HelperModels

from conftest import NO_DIFFUSERS, SidecarProcess, segment_params

MODEL = "qwen2.5-1.5b-instruct"  # the tiny model stands in this one's folder
FOLDER = "Qwen2.5-1.5B-Instruct"
# The first request imports torch and transformers in the sidecar.
MODEL_TIMEOUT = 240
TOKENS = 8


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("models")
    build_tiny_qwen(root / FOLDER)
    return root


@pytest.fixture(scope="module")
def sidecar(ffmpeg):
    process = SidecarProcess(NO_DIFFUSERS)
    process.initialize(ffmpeg)
    yield process
    process.stop()


def call(sidecar: SidecarProcess, method: str, params: dict | None = None) -> dict:
    return sidecar.response(sidecar.send(method, params), timeout=MODEL_TIMEOUT)


def result_of(response: dict) -> dict:
    assert "result" in response, response
    return response["result"]


def error_of(response: dict) -> dict:
    assert "error" in response, response
    return response["error"]


def extend(sidecar, models_dir: Path, cache: Path, seed: int = 7, **extra) -> dict:
    params = {"prompt": "a cat sleeps on a roof", "seed": seed, "modelsDir": str(models_dir), "cacheFile": str(cache)}
    return call(sidecar, "prompt.extend", {"model": MODEL, "maxNewTokens": TOKENS, **params, **extra})


def translate(sidecar, models_dir: Path, cache: Path, **extra) -> dict:
    params = {"prompt": "Un chat noir dort sur le toit", "modelsDir": str(models_dir), "cacheFile": str(cache)}
    return call(sidecar, "prompt.translate", {"model": MODEL, "maxNewTokens": TOKENS, **params, **extra})


def test_translate_and_extend_round_trip(sidecar, models_dir, tmp_path):
    cache = tmp_path / "prompt-cache.json"
    translated = result_of(translate(sidecar, models_dir, cache))
    assert translated["text"].strip() == translated["text"] != ""
    assert translated["task"] == "translate"
    assert translated["language"] == "zh"
    assert translated["seed"] is None  # greedy
    assert translated["systemPrompt"] == "wan-studio:TRANSLATE_TO_CHINESE"
    assert translated["cached"] is False

    extended = result_of(extend(sidecar, models_dir, cache))
    assert extended["text"]
    assert (extended["task"], extended["language"], extended["seed"]) == ("extend", "zh", 7)
    assert extended["systemPrompt"] == "Wan2.2 wan/utils/system_prompt.py:T2V_A14B_ZH_SYS_PROMPT"
    english = result_of(extend(sidecar, models_dir, cache, language="en"))
    assert english["systemPrompt"] == "Wan2.2 wan/utils/system_prompt.py:T2V_A14B_EN_SYS_PROMPT"

    loaded = result_of(call(sidecar, "prompt.status"))["loaded"]
    assert loaded["model"] == MODEL
    assert loaded["device"] == "cpu"
    assert loaded["vramMiB"] is None
    assert loaded["weightsMiB"] > 0 and loaded["loadSeconds"] >= 0
    document = json.loads(cache.read_text())
    assert document["version"] == 1
    assert sorted(entry["task"] for entry in document["entries"].values()) == ["extend", "extend", "translate"]
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]  # no temporary left


def test_extension_is_reproducible_from_its_seed(sidecar, models_dir, tmp_path):
    first = result_of(extend(sidecar, models_dir, tmp_path / "one.json", seed=11))
    again = result_of(extend(sidecar, models_dir, tmp_path / "two.json", seed=11))  # another cache: runs again
    other = result_of(extend(sidecar, models_dir, tmp_path / "three.json", seed=12))
    assert (first["cached"], again["cached"], other["cached"]) == (False, False, False)
    assert again["text"] == first["text"]
    assert other["text"] != first["text"]


def test_a_cached_result_needs_no_model(sidecar, models_dir, tmp_path):
    cache = tmp_path / "cache.json"
    computed = result_of(extend(sidecar, models_dir, cache, seed=3))
    assert result_of(call(sidecar, "prompt.unload"))["unloaded"]["model"] == MODEL
    hit = result_of(extend(sidecar, models_dir, cache, seed=3))
    assert hit["cached"] is True
    assert hit["text"] == computed["text"]
    assert hit["load"] is None
    assert result_of(call(sidecar, "prompt.status"))["loaded"] is None  # the hit did not load it
    # A different seed, task or model is a different entry.
    assert result_of(extend(sidecar, models_dir, cache, seed=4))["cached"] is False


def test_unload_drops_the_model(sidecar, models_dir, tmp_path):
    loaded = result_of(translate(sidecar, models_dir, tmp_path / "cache.json"))
    assert loaded["load"] is None or loaded["load"]["model"] == MODEL
    unloaded = result_of(call(sidecar, "prompt.unload"))["unloaded"]
    assert unloaded["model"] == MODEL
    assert result_of(call(sidecar, "prompt.status")) == {"loaded": None}
    assert result_of(call(sidecar, "prompt.unload")) == {"unloaded": None}
    reloaded = result_of(translate(sidecar, models_dir, tmp_path / "fresh.json"))
    assert reloaded["load"]["model"] == MODEL  # loaded again, measured again


def test_unload_frees_the_weights_in_process(models_dir):
    holder = HelperModels()
    report = holder.ensure(MODEL, models_dir / FOLDER, "cpu").report()
    assert report["ramMiB"] is None or report["ramMiB"] >= 0
    weights = weakref.ref(holder.loaded.model)
    assert holder.unload()["model"] == MODEL
    gc.collect()
    assert weights() is None
    assert holder.status() is None


def test_a_missing_model_names_its_folder_and_the_download_command(sidecar, tmp_path):
    empty = tmp_path / "models"
    empty.mkdir()
    error = error_of(translate(sidecar, empty, tmp_path / "cache.json"))
    folder = empty / FOLDER
    command = f"hf download Qwen/{FOLDER} --local-dir {folder}"
    assert error["code"] == -32005
    assert str(folder) in error["message"] and "is missing" in error["message"]
    assert command in error["message"]
    assert error["data"]["howToGet"] == command
    assert error["data"]["missing"] == [str(folder)]


def test_damaged_files_are_named(sidecar, models_dir, tmp_path):
    damaged = tmp_path / "models"
    shutil.copytree(models_dir / FOLDER, damaged / FOLDER)
    weights = damaged / FOLDER / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    error = error_of(translate(sidecar, damaged, tmp_path / "cache.json"))
    assert error["code"] == -32005
    assert "is incomplete (1 file(s) missing or damaged)" in error["message"]
    assert error["data"]["problems"] == {str(weights): "truncated"}

    shutil.copy(models_dir / FOLDER / "model.safetensors", weights)
    (damaged / FOLDER / "config.json").write_text("{ not json")
    error = error_of(translate(sidecar, damaged, tmp_path / "cache.json"))
    assert error["code"] == -32005
    assert f"the helper model in {damaged / FOLDER} could not be loaded" in error["message"]
    assert f"hf download Qwen/{FOLDER}" in error["message"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cacheFile": "/etc/prompt-cache.json"}, "params.cacheFile: '/etc/prompt-cache.json' is outside the folders"),
        ({"cacheFile": "cache.json"}, "params.cacheFile: 'cache.json' is not an absolute path"),
        ({"modelsDir": "models"}, "params.modelsDir: 'models' is not an absolute path"),
        ({"model": "gpt-4"}, "params.model: 'gpt-4' is not one of"),
        ({"prompt": "   "}, "params.prompt: '   ' is empty or whitespace only"),
        ({"device": "tpu"}, "params.device: 'tpu' is not one of"),
    ],
)
def test_bad_params_are_refused_with_their_field(sidecar, models_dir, tmp_path, change, message):
    params = {"prompt": "a cat", "modelsDir": str(models_dir), "cacheFile": str(tmp_path / "c.json"), **change}
    error = error_of(call(sidecar, "prompt.translate", params))
    assert error["code"] == -32602
    assert error["message"].startswith(message), error["message"]


def test_extend_needs_a_seed_and_initialize_comes_first(start_sidecar, sidecar, models_dir, tmp_path):
    params = {"prompt": "a cat", "modelsDir": str(models_dir), "cacheFile": str(tmp_path / "c.json")}
    assert error_of(call(sidecar, "prompt.extend", params))["message"] == "params: 'seed' is a required property"
    fresh = start_sidecar()
    error = error_of(fresh.call("prompt.translate", params))
    assert error["code"] == -32010
    assert error["message"] == "not initialized: call initialize before prompt.translate"


def test_models_lists_the_helper_models_and_what_is_missing(sidecar, models_dir):
    listed = result_of(call(sidecar, "prompt.models", {"modelsDir": str(models_dir)}))
    assert listed["default"] == "qwen2.5-3b-instruct"
    by_id = {model["id"]: model for model in listed["models"]}
    assert by_id[MODEL]["complete"] is True and by_id[MODEL]["missing"] == []
    assert by_id["qwen2.5-3b-instruct"]["complete"] is False
    assert by_id["qwen2.5-3b-instruct"]["howToGet"] == (
        f"hf download Qwen/Qwen2.5-3B-Instruct --local-dir {models_dir / 'Qwen2.5-3B-Instruct'}"
    )
    assert by_id["qwen2.5-3b-instruct"]["weightsMiB"] == 5894  # 3.09e9 bf16 parameters


def test_an_unusable_cache_file_costs_the_cache_not_the_answer(sidecar, models_dir, tmp_path):
    in_the_way = tmp_path / "cache.json"
    in_the_way.mkdir()  # a folder where the file should be: it can be neither read nor replaced
    first = result_of(extend(sidecar, models_dir, in_the_way, seed=21))
    second = result_of(extend(sidecar, models_dir, in_the_way, seed=21))
    assert (first["cached"], second["cached"]) == (False, False)
    assert second["text"] == first["text"]
    warnings = [n["params"]["message"] for n in sidecar.notifications if n["method"] == "log"]
    assert any(f"could not write the prompt cache {in_the_way}" in message for message in warnings)
    assert any(f"cannot read the prompt cache {in_the_way}" in message for message in warnings)
    assert list(in_the_way.iterdir()) == []
    assert [path.name for path in tmp_path.iterdir()] == ["cache.json"]  # no temporary file left


def test_a_damaged_cache_is_set_aside_and_started_again(tmp_path, caplog):
    path = tmp_path / "prompt-cache.json"
    path.write_text("{ half written")
    cache = PromptCache(path)
    key = cache_key("a cat", MODEL, "extend-zh", 1)
    assert cache.get(key) is None
    assert [p.name.startswith("prompt-cache.json.damaged-") for p in tmp_path.iterdir()] == [True]
    assert "is damaged" in caplog.text
    cache.put(key, {"text": "一只猫"})
    assert PromptCache(path).get(key) == {"text": "一只猫"}
    assert cache_key("a cat", MODEL, "extend-zh", 2) != key


def test_the_gpu_is_refused_while_a_generate_runs(sidecar, models_dir, tmp_path):
    running = sidecar.send("generate", segment_params(tmp_path / "slow.mp4", steps=20, options={"secondsPerStep": 0.2}))
    error = error_of(translate(sidecar, models_dir, tmp_path / "cache.json", device="cuda"))
    assert error["code"] == -32004
    assert error["message"].startswith("busy: a generate holds the GPU")
    assert "result" in sidecar.response(running)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_without_a_device_is_unavailable(sidecar, models_dir, tmp_path):
    error = error_of(translate(sidecar, models_dir, tmp_path / "cache.json", device="cuda"))
    assert error["code"] == -32003
    assert error["message"] == "no CUDA device: load the helper model with device 'cpu'"
