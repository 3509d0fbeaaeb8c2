"""Builds a Wan2.2 pipeline from ComfyUI's single files, in place, with the configs shipped in configs/.

transformer(s), VAE -> diffusers' from_single_file, which converts the original Wan key names
                       (ComfyUI's files keep them); config= points at configs/<model>, so nothing is
                       fetched (local_files_only).
umT5               -> ComfyUI's text encoder file holds transformers' UMT5 key names (shared.weight,
                       encoder.block.N.layer.0.SelfAttention.q..., unprefixed: ComfyUI's T5 in
                       comfy/text_encoders/t5.py has the same module names, and comfy/sd.py detects it
                       by `encoder.block.23.layer.1.DenseReluDense.wi_1.weight`), loaded into
                       configs/<model>/text_encoder/config.json; a key that does not fit is an error,
                       not a silently random weight.
tokenizer          -> the SentencePiece model ComfyUI stores in that same file as the `spiece_model`
                       tensor (its UMT5XXlTokenizer reads it from there): the Unigram vocabulary and
                       scores, in id order, as transformers' T5Tokenizer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKLWan, TorchAoConfig, UniPCMultistepScheduler, WanPipeline, WanTransformer3DModel
from safetensors.torch import load_file
from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

from .errors import WeightsMissing
from .weights import SingleFiles

CONFIGS = Path(__file__).resolve().parent / "configs"
SPIECE_KEY = "spiece_model"
# transformers ties the encoder's embedding to `shared`; ComfyUI's file stores only `shared.weight`.
TIED_KEYS = {"encoder.embed_tokens.weight"}


def config_dir(model: str) -> Path:
    return CONFIGS / model


def load_umt5(path: Path, model: str, dtype: torch.dtype) -> tuple[UMT5EncoderModel, T5Tokenizer]:
    state = load_file(str(path))
    spiece = state.pop(SPIECE_KEY, None)
    if spiece is None:
        raise WeightsMissing(
            f"{path} has no `{SPIECE_KEY}` tensor, so there is no tokenizer to go with it",
            {"model": model, "missing": [f"{path}:{SPIECE_KEY}"], "problems": {str(path): f"no {SPIECE_KEY}"}},
        )
    config = UMT5Config.from_json_file(config_dir(model) / "text_encoder" / "config.json")
    with torch.device("meta"):  # no 23 GB of float32 random weights before the real ones arrive
        encoder = UMT5EncoderModel(config)
    for key in list(state):
        state[key] = state[key].to(dtype)
    missing, unexpected = encoder.load_state_dict(state, strict=False, assign=True)
    missing = sorted(set(missing) - TIED_KEYS)
    if missing or unexpected:
        raise WeightsMissing(
            f"{path} does not fit umT5-XXL: {len(missing)} weight(s) missing, {len(unexpected)} unknown "
            f"(e.g. {(missing + unexpected)[:3]})",
            {"model": model, "missing": missing, "problems": {str(path): "not a umT5-XXL state dict"}},
        )
    encoder.tie_weights()
    return encoder.eval(), tokenizer_from_spiece(bytes(spiece.to(torch.uint8).tolist()))


def tokenizer_from_spiece(model_proto: bytes) -> T5Tokenizer:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=model_proto)
    vocab = [(processor.id_to_piece(index), processor.get_score(index)) for index in range(processor.get_piece_size())]
    return T5Tokenizer(vocab=vocab, extra_ids=0)


def load_pipeline_parts(
    source: SingleFiles, dtype: torch.dtype, expert_quantization: TorchAoConfig | None
) -> WanPipeline:
    """The pipeline, built from the files: experts in `dtype` (quantized when asked), umT5 in
    `dtype`, the VAE in float32 (as loading.py keeps it)."""
    configs = config_dir(source.model)
    index: dict[str, Any] = json.loads((configs / "model_index.json").read_text())
    common = {"config": str(configs), "local_files_only": True}
    experts = {
        name: WanTransformer3DModel.from_single_file(
            str(source.files[name]),
            subfolder=name,
            torch_dtype=dtype,
            quantization_config=expert_quantization,
            **common,
        )
        for name in ("transformer", "transformer_2")
        if name in source.files
    }
    vae = AutoencoderKLWan.from_single_file(
        str(source.files["vae"]), subfolder="vae", torch_dtype=torch.float32, **common
    )
    text_encoder, tokenizer = load_umt5(source.files["text_encoder"], source.model, dtype)
    return WanPipeline(
        tokenizer=tokenizer,
        text_encoder=text_encoder,
        vae=vae,
        scheduler=UniPCMultistepScheduler.from_pretrained(configs, subfolder="scheduler", local_files_only=True),
        transformer=experts["transformer"],
        transformer_2=experts.get("transformer_2"),
        boundary_ratio=index.get("boundary_ratio"),
        expand_timesteps=bool(index.get("expand_timesteps", False)),
    )
