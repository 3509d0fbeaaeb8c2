"""Where the Wan2.2 weights live and whether a folder holds all of them. Never downloads anything.

Each model is a folder in the diffusers layout: the one `initialize.modelDirs` names for it (a
Hugging Face cache snapshot, used in place: its files are symbolic links into the cache's blobs/,
which every check here follows), else `<modelsDir>/<repo>`, exactly as
`hf download Wan-AI/<repo> --local-dir <modelsDir>/<repo>` leaves it. Nothing here
imports torch: the app asks which models are present before any engine loads.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import WeightsMissing


@dataclass(frozen=True)
class ModelSpec:
    folder: str  # also the Hugging Face repo name under Wan-AI/
    # component folder -> kind: "diffusers" (diffusion_pytorch_model*), "transformers" (model*),
    # "tokenizer" or "scheduler"
    components: dict[str, str]
    # components the published repo ships in shards; named by their index file when absent
    sharded: frozenset[str]

    @property
    def repo(self) -> str:
        return f"Wan-AI/{self.folder}"


# The A14B models (T2V and I2V) share one layout: umT5, two experts, the Wan2.1 VAE.
TWO_EXPERT_COMPONENTS = {
    "scheduler": "scheduler",
    "tokenizer": "tokenizer",
    "text_encoder": "transformers",
    "transformer": "diffusers",
    "transformer_2": "diffusers",
    "vae": "diffusers",
}
TWO_EXPERT_SHARDED = frozenset({"text_encoder", "transformer", "transformer_2"})

MODELS: dict[str, ModelSpec] = {
    "t2v-a14b": ModelSpec(
        folder="Wan2.2-T2V-A14B-Diffusers",
        components=TWO_EXPERT_COMPONENTS,
        sharded=TWO_EXPERT_SHARDED,
    ),
    "i2v-a14b": ModelSpec(
        folder="Wan2.2-I2V-A14B-Diffusers",
        components=TWO_EXPERT_COMPONENTS,
        sharded=TWO_EXPERT_SHARDED,
    ),
    "ti2v-5b": ModelSpec(
        folder="Wan2.2-TI2V-5B-Diffusers",
        components={
            "scheduler": "scheduler",
            "tokenizer": "tokenizer",
            "text_encoder": "transformers",
            "transformer": "diffusers",
            "vae": "diffusers",
        },
        sharded=frozenset({"text_encoder", "transformer"}),
    ),
}

WEIGHT_STEMS = {"diffusers": "diffusion_pytorch_model", "transformers": "model"}

# ComfyUI single files (initialize.modelFiles): the components each model needs, loaded with the
# configs in configs/<model> (single_file.py). The TI2V-5B's Wan2.2 VAE is not offered: diffusers
# 0.42.1's single-file conversion (convert_wan_vae_to_diffusers) maps only the Wan2.1 VAE's layout.
SINGLE_FILE_COMPONENTS = {"t2v-a14b": ("transformer", "transformer_2", "text_encoder", "vae")}


@dataclass(frozen=True)
class SingleFiles:
    """A model as single safetensors files, component -> file (ComfyUI's layout)."""

    model: str
    files: dict[str, Path]

    def __str__(self) -> str:
        return ", ".join(f"{name}={path}" for name, path in sorted(self.files.items()))


def single_file_problems(source: SingleFiles) -> dict[str, str]:
    """Every component without a whole file, as path (or component name when none) -> what is wrong."""
    problems = {}
    for component in SINGLE_FILE_COMPONENTS[source.model]:
        path = source.files.get(component)
        problem = "missing" if path is None else safetensors_problem(path)
        if problem:
            problems[str(path) if path else component] = problem
    return problems


# Written by downloads.py in a folder it fills: "downloading" from the first byte, "complete" only after
# every file matched the hub's size and hash. A folder without it was filled some other way.
DOWNLOAD_MARKER = ".wan-studio-download.json"


def download_problem(folder: Path) -> str | None:
    """Why a folder the app downloaded into is not complete yet (its marker's state), or None."""
    marker = folder / DOWNLOAD_MARKER
    if not marker.exists():
        return None
    try:
        state = json.loads(marker.read_text()).get("state")
    except (OSError, ValueError, AttributeError):
        return "unreadable download record"
    return None if state == "complete" else f"download not finished and checked ({state})"


def how_to_get(model: str, models_dir: Path) -> str:
    spec = MODELS[model]
    return f"hf download {spec.repo} --local-dir {Path(models_dir) / spec.folder}"


def repair_hint(model: str, model_dir: Path) -> str:
    """The download that completes this folder: a cache snapshot is completed in the cache."""
    if model_dir.parent.name == "snapshots":
        return f"hf download {MODELS[model].repo}"
    return f"hf download {MODELS[model].repo} --local-dir {model_dir}"


def safetensors_problem(path: Path) -> str | None:
    """Why a .safetensors file cannot be loaded (absent, truncated, not safetensors), or None.

    Reads only the header: its tensor offsets say how long the file must be, which catches an
    interrupted download without reading gigabytes.
    """
    if not path.is_file():
        return "missing"
    size = path.stat().st_size
    try:
        with path.open("rb") as file:
            (header_length,) = struct.unpack("<Q", file.read(8))
            if header_length > size - 8:
                return "truncated"
            header = json.loads(file.read(header_length))
    except (struct.error, ValueError, UnicodeDecodeError):
        return "not a safetensors file"
    data_length = max((entry["data_offsets"][1] for key, entry in header.items() if key != "__metadata__"), default=0)
    if size < 8 + header_length + data_length:
        return "truncated"
    return None


def weight_problems(folder: Path, stem: str, sharded: bool) -> dict[str, str]:
    """Problems with one component's weights, single file or shards listed by an index file."""
    single = folder / f"{stem}.safetensors"
    index = folder / f"{stem}.safetensors.index.json"
    if single.is_file():
        problem = safetensors_problem(single)
        return {str(single): problem} if problem else {}
    if not index.is_file():
        return {str(index if sharded else single): "missing"}
    try:
        shards = sorted(set(json.loads(index.read_text())["weight_map"].values()))
    except (ValueError, KeyError, TypeError):
        return {str(index): "unreadable index"}
    problems = {}
    for shard in shards:
        problem = safetensors_problem(folder / shard)
        if problem:
            problems[str(folder / shard)] = problem
    return problems


def component_problems(model_dir: Path, spec: ModelSpec) -> dict[str, str]:
    """Every absent or damaged file a complete folder needs, as path -> what is wrong."""
    if not model_dir.is_dir():
        return {str(model_dir): "missing"}
    problems: dict[str, str] = {}
    if download := download_problem(model_dir):
        problems[str(model_dir / DOWNLOAD_MARKER)] = download
    if not (model_dir / "model_index.json").is_file():
        problems[str(model_dir / "model_index.json")] = "missing"
    for name, kind in spec.components.items():
        folder = model_dir / name
        if not folder.is_dir():
            problems[str(folder)] = "missing"
            continue
        required = {
            "scheduler": ["scheduler_config.json"],
            "tokenizer": ["tokenizer_config.json"],
        }.get(kind, ["config.json"])
        for file_name in required:
            if not (folder / file_name).is_file():
                problems[str(folder / file_name)] = "missing"
        if kind == "tokenizer" and not ((folder / "tokenizer.json").is_file() or (folder / "spiece.model").is_file()):
            problems[str(folder / "tokenizer.json")] = "missing"
        if kind in WEIGHT_STEMS:
            problems.update(weight_problems(folder, WEIGHT_STEMS[kind], name in spec.sharded))
    return problems


def model_folder(
    models_dir: str | Path | None, model: str, model_dirs: dict[str, Path] | None
) -> tuple[Path | None, str]:
    """The folder a model loads from and where that came from: "modelDirs" or "modelsDir"."""
    if model_dirs and model in model_dirs:
        return Path(model_dirs[model]), "modelDirs"
    if not models_dir:
        return None, "modelsDir"
    return Path(models_dir).expanduser().resolve() / MODELS[model].folder, "modelsDir"


def require_weights(
    models_dir: str | Path | None,
    model: str,
    model_dirs: dict[str, Path] | None = None,
    model_files: dict[str, SingleFiles] | None = None,
) -> Path | SingleFiles:
    """The model's folder (or single files), or WeightsMissing naming exactly which files are absent
    or damaged. A folder named in model_dirs comes first, then single files, then <models_dir>/<repo>."""
    spec = MODELS[model]
    if model_files and model in model_files and not (model_dirs and model in model_dirs):
        source = model_files[model]
        problems = single_file_problems(source)
        if problems:
            raise WeightsMissing(
                f"The {model} single files are incomplete: {len(problems)} missing or damaged",
                data={"model": model, "modelDir": None, "missing": list(problems), "problems": problems,
                      "source": "modelFiles", "howToGet": "put the missing files in ComfyUI's models folders"},
            )  # fmt: skip
        return source
    model_dir, source = model_folder(models_dir, model, model_dirs)
    if model_dir is None:
        raise WeightsMissing(
            f"no folder for the {spec.folder} weights: initialize named no modelsDir and no modelDirs.{model}",
            data={
                "model": model,
                "modelDir": None,
                "missing": [],
                "problems": {},
                "howToGet": how_to_get(model, Path("<modelsDir>")),
            },
        )
    problems = component_problems(model_dir, spec)
    if problems:
        raise WeightsMissing(
            f"The {spec.folder} weights in {model_dir} are incomplete: {len(problems)} file(s) missing or damaged",
            data={
                "model": model,
                "modelDir": str(model_dir),
                "missing": list(problems),
                "problems": problems,
                "source": source,
                "howToGet": repair_hint(model, model_dir),
            },
        )
    return model_dir


def find_models(
    models_dir: str | Path | None,
    model_dirs: dict[str, Path] | None = None,
    model_files: dict[str, SingleFiles] | None = None,
) -> dict[str, Any]:
    """Which models the folders hold, for `initialize` details: complete, partial or absent, and
    where each comes from (`source`: "modelDirs", "modelFiles" or "modelsDir")."""
    root = Path(models_dir).expanduser().resolve() if models_dir else None
    models = {}
    for model, spec in MODELS.items():
        if model_files and model in model_files and not (model_dirs and model in model_dirs):
            files = model_files[model]
            problems = single_file_problems(files)
            models[model] = {
                "path": str(files.files.get("transformer", "")) or None,
                "source": "modelFiles",
                "files": {name: str(path) for name, path in files.files.items()},
                "present": True,
                "complete": not problems,
                "missing": list(problems),
            }
            continue
        model_dir, source = model_folder(root, model, model_dirs)
        if model_dir is None:
            continue
        problems = component_problems(model_dir, spec)
        models[model] = {
            "path": str(model_dir),
            "source": source,
            "present": model_dir.is_dir(),
            "complete": not problems,
            "missing": list(problems),
        }
    return {"modelsDir": str(root) if root else None, "models": models}
