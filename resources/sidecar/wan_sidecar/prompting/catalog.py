"""The helper language models the studio knows, where they live in the models folder, and whether a
folder holds a complete copy. Never downloads anything; imports no torch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WeightsMissing
from ..weights import weight_problems


@dataclass(frozen=True)
class HelperModelSpec:
    id: str
    repo: str  # Hugging Face repo; its last part is the folder name inside the models folder
    parameters_billions: float  # from the model card
    license: str  # from the model card

    @property
    def folder(self) -> str:
        return self.repo.split("/")[1]

    @property
    def weights_mib(self) -> int:
        """bf16 weights on disk and in memory: two bytes a parameter."""
        return round(self.parameters_billions * 1e9 * 2 / 2**20)


# Qwen2.5-3B-Instruct is the smallest text-only model Wan2.2's own prompt extender offers
# (QwenPromptExpander.model_dict in wan/utils/prompt_extend.py); 1.5B is the smaller, Apache-2.0 choice.
# Model cards: https://huggingface.co/Qwen/Qwen2.5-3B-Instruct, https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct
HELPER_MODELS: dict[str, HelperModelSpec] = {
    spec.id: spec
    for spec in (
        HelperModelSpec("qwen2.5-3b-instruct", "Qwen/Qwen2.5-3B-Instruct", 3.09, "qwen-research"),
        HelperModelSpec("qwen2.5-1.5b-instruct", "Qwen/Qwen2.5-1.5B-Instruct", 1.54, "apache-2.0"),
    )
}
DEFAULT_HELPER_MODEL = "qwen2.5-3b-instruct"


def download_command(spec: HelperModelSpec, models_dir: Path) -> str:
    return f"hf download {spec.repo} --local-dir {models_dir / spec.folder}"


def folder_problems(model_dir: Path) -> dict[str, str]:
    """Every absent or damaged file a usable copy needs, as path -> what is wrong."""
    if not model_dir.is_dir():
        return {str(model_dir): "missing"}
    problems: dict[str, str] = {}
    for name in ("config.json", "tokenizer_config.json", "tokenizer.json"):
        if not (model_dir / name).is_file():
            problems[str(model_dir / name)] = "missing"
    problems.update(weight_problems(model_dir, "model", sharded=False))
    return problems


def require_helper_model(models_dir: Path, model: str) -> Path:
    """The model's folder, or WeightsMissing naming the folder, what is wrong and the download command."""
    spec = HELPER_MODELS[model]
    model_dir = models_dir / spec.folder
    problems = folder_problems(model_dir)
    if problems:
        command = download_command(spec, models_dir)
        if str(model_dir) in problems:
            what = "is missing"
        else:
            what = f"is incomplete ({len(problems)} file(s) missing or damaged)"
        data = {"model": model, "modelDir": str(model_dir), "missing": list(problems), "problems": problems}
        raise WeightsMissing(
            f"the helper model {spec.repo} in {model_dir} {what}; download it with: {command}",
            {**data, "howToGet": command},
        )
    return model_dir


def describe_helper_models(models_dir: Path) -> list[dict[str, Any]]:
    """Each known helper model with its size, where it belongs and what of it is missing (for the weights check)."""
    described = []
    for spec in HELPER_MODELS.values():
        model_dir = models_dir / spec.folder
        problems = folder_problems(model_dir)
        described.append(
            {
                "id": spec.id,
                "repo": spec.repo,
                "path": str(model_dir),
                "parametersBillions": spec.parameters_billions,
                "weightsMiB": spec.weights_mib,
                "license": spec.license,
                "default": spec.id == DEFAULT_HELPER_MODEL,
                "complete": not problems,
                "missing": list(problems),
                "howToGet": download_command(spec, models_dir),
            }
        )
    return described
