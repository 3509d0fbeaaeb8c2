"""Tiny random-weight Wan2.2 models written in the diffusers layout, for tests.

Sizes follow diffusers' own Wan2.2 pipeline tests. Nothing comes from the hub: the tokenizer is a
small Unigram vocabulary (the model type umT5 uses) built here and saved as tokenizer.json.
"""

from __future__ import annotations

from pathlib import Path

import torch
from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanPipeline, WanTransformer3DModel
from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

T2V_FOLDER = "Wan2.2-T2V-A14B-Diffusers"
TI2V_FOLDER = "Wan2.2-TI2V-5B-Diffusers"

TEXT_DIM = 32
WORDS = "a the cat dog fox bird runs walks flies over under through red blue green field sky river city night"


def build_tokenizer() -> T5Tokenizer:
    # A Unigram vocabulary scored like SentencePiece, with single letters as a fallback for unknown words.
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(f"\u2581{word}", -1.0 - index * 0.1) for index, word in enumerate(WORDS.split())]
    vocab += [("\u2581", -5.0)] + [(letter, -10.0) for letter in "abcdefghijklmnopqrstuvwxyz"]
    return T5Tokenizer(vocab=vocab, extra_ids=0)


def build_text_encoder(vocab_size: int) -> UMT5EncoderModel:
    config = UMT5Config(
        vocab_size=vocab_size,
        d_model=TEXT_DIM,
        d_kv=8,
        d_ff=32,
        num_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
    )
    return UMT5EncoderModel(config).eval()


def build_transformer(channels: int) -> WanTransformer3DModel:
    return WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=channels,
        out_channels=channels,
        text_dim=TEXT_DIM,
        freq_dim=256,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
    )


def build_scheduler() -> UniPCMultistepScheduler:
    # The published Diffusers repos carry flow_shift 3.0; the engine must set the real shift itself.
    return UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0)


def latent_sensitive(vae: AutoencoderKLWan) -> AutoencoderKLWan:
    """Zeroes the decoder's biases: with random weights they dominate its output, which then hardly
    depends on the latents, and a continuity test could not tell a carried-over head from a fresh one."""
    for name, parameter in vae.decoder.named_parameters():
        if name.endswith("bias"):
            parameter.data.zero_()
    return vae


def build_t2v_a14b(models_dir: Path, seed: int = 0) -> Path:
    """Two experts switching at boundary 0.875, the Wan2.1 VAE (4x8x8, z_dim 16)."""
    torch.manual_seed(seed)
    tokenizer = build_tokenizer()
    pipe = WanPipeline(
        tokenizer=tokenizer,
        text_encoder=build_text_encoder(len(tokenizer)),
        vae=latent_sensitive(
            AutoencoderKLWan(
                base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True]
            )
        ),
        scheduler=build_scheduler(),
        transformer=build_transformer(16),
        transformer_2=build_transformer(16),
        boundary_ratio=0.875,
    )
    model_dir = models_dir / T2V_FOLDER
    pipe.save_pretrained(model_dir)
    return model_dir


def build_ti2v_5b(models_dir: Path, seed: int = 0) -> Path:
    """One transformer, per-token timesteps, the Wan2.2 VAE (4x16x16, z_dim 48, patchified input)."""
    torch.manual_seed(seed)
    tokenizer = build_tokenizer()
    pipe = WanPipeline(
        tokenizer=tokenizer,
        text_encoder=build_text_encoder(len(tokenizer)),
        vae=latent_sensitive(
            AutoencoderKLWan(
                base_dim=3,
                z_dim=48,
                in_channels=12,
                out_channels=12,
                is_residual=True,
                patch_size=2,
                latents_mean=[0.0] * 48,
                latents_std=[1.0] * 48,
                dim_mult=[1, 1, 1, 1],
                num_res_blocks=1,
                scale_factor_spatial=16,
                scale_factor_temporal=4,
                temperal_downsample=[False, True, True],
            )
        ),
        scheduler=build_scheduler(),
        transformer=build_transformer(48),
        transformer_2=None,
        boundary_ratio=None,
        expand_timesteps=True,
    )
    model_dir = models_dir / TI2V_FOLDER
    pipe.save_pretrained(model_dir)
    return model_dir


def shard_transformer(model_dir: Path, subfolder: str = "transformer") -> None:
    """Re-save one component in shards with an index file, the way the published 14B experts are stored."""
    transformer = WanTransformer3DModel.from_pretrained(model_dir, subfolder=subfolder)
    target = model_dir / subfolder
    for old in target.glob("diffusion_pytorch_model*"):
        old.unlink()
    transformer.save_pretrained(target, max_shard_size="20KB")


def build_lightning_loras(
    models_dir: Path, seed: int = 1, rank: int = 4, key_format: str = "diffusers"
) -> dict[str, Path]:
    """A random LoRA pair for the tiny T2V-A14B experts, where fast mode looks for the Wan2.2-Lightning
    files. Both LoRA matrices are random (PEFT's default zero B would leave the experts unchanged).

    key_format "diffusers": diffusers' LoRA format (PEFT keys under `transformer.`); "wan": the
    original Wan module names under `diffusion_model.` with an `alpha` per layer, the format lightx2v
    publishes and diffusers converts on loading. The same seed gives the same LoRA in both."""
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict
    from safetensors.torch import save_file

    from wan_sidecar.engines import fast_mode

    paths = fast_mode.lora_paths(models_dir)
    for index, path in enumerate(paths.values()):
        torch.manual_seed(seed + index)
        transformer = build_transformer(16)
        config = LoraConfig(
            r=rank,
            lora_alpha=rank,
            target_modules=["to_q", "to_k", "to_v", "to_out.0", "ffn.net.0.proj", "ffn.net.2"],
            init_lora_weights=False,
        )
        transformer.add_adapter(config)
        state_dict = get_peft_model_state_dict(transformer)
        path.parent.mkdir(parents=True, exist_ok=True)
        if key_format == "diffusers":
            WanPipeline.save_lora_weights(path.parent, transformer_lora_layers=state_dict, weight_name=path.name)
        else:
            save_file(wan_lora_keys(state_dict, rank), path)
    return paths


WAN_MODULE_NAMES = {
    "attn1.": "self_attn.", "attn2.": "cross_attn.", "to_q.": "q.", "to_k.": "k.", "to_v.": "v.",
    "to_out.0.": "o.", "ffn.net.0.proj.": "ffn.0.", "ffn.net.2.": "ffn.2.",
}  # fmt: skip


def wan_lora_keys(state_dict: dict[str, torch.Tensor], rank: int) -> dict[str, torch.Tensor]:
    """PEFT keys of a WanTransformer3DModel renamed to the original Wan modules, with alpha = rank."""
    renamed = {}
    for key, value in state_dict.items():
        for diffusers_name, wan_name in WAN_MODULE_NAMES.items():
            key = key.replace(diffusers_name, wan_name)
        renamed["diffusion_model." + key] = value.contiguous()
        if key.endswith(".lora_A.weight"):
            renamed["diffusion_model." + key.removesuffix(".lora_A.weight") + ".alpha"] = torch.tensor(float(rank))
    return renamed


def hub_cache_layout(
    model_dir: Path, hub_dir: Path, revision: str = "0123456789abcdef0123456789abcdef01234567"
) -> Path:
    """Moves a saved model into a Hugging Face hub cache, as `huggingface_hub` lays one out:
    models--Wan-AI--<repo>/blobs/<sha256> holds the bytes, snapshots/<revision>/<file> is a relative
    symbolic link into ../../blobs, refs/main names the revision. Returns the snapshot folder."""
    import hashlib
    import os
    import shutil

    repo_dir = hub_dir / f"models--Wan-AI--{model_dir.name}"
    snapshot = repo_dir / "snapshots" / revision
    (repo_dir / "blobs").mkdir(parents=True, exist_ok=True)
    for file in sorted(path for path in model_dir.rglob("*") if path.is_file()):
        relative = file.relative_to(model_dir)
        blob = repo_dir / "blobs" / hashlib.sha256(file.read_bytes()).hexdigest()
        shutil.move(file, blob)
        link = snapshot / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    shutil.rmtree(model_dir)
    (repo_dir / "refs").mkdir(exist_ok=True)
    (repo_dir / "refs" / "main").write_text(revision)
    return snapshot


# ComfyUI's single files keep the original Wan key names; these turn a diffusers state dict back into
# them (the inverse of diffusers' convert_wan_transformer_to_diffusers / convert_wan_vae_to_diffusers,
# which the tests run over the result to check it).
WAN_TRANSFORMER_NAMES = [
    ("condition_embedder.time_embedder.linear_1", "time_embedding.0"),
    ("condition_embedder.time_embedder.linear_2", "time_embedding.2"),
    ("condition_embedder.text_embedder.linear_1", "text_embedding.0"),
    ("condition_embedder.text_embedder.linear_2", "text_embedding.2"),
    ("condition_embedder.time_proj", "time_projection.1"),
    ("attn1.", "self_attn."), ("attn2.", "cross_attn."),
    (".to_q.", ".q."), (".to_k.", ".k."), (".to_v.", ".v."), (".to_out.0.", ".o."),
    ("ffn.net.0.proj", "ffn.0"), ("ffn.net.2", "ffn.2"),
]  # fmt: skip


def wan_transformer_keys(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    renamed = {}
    for key, value in state_dict.items():
        new = key
        for diffusers_name, wan_name in WAN_TRANSFORMER_NAMES:
            new = new.replace(diffusers_name, wan_name)
        new = new.replace(".norm2.", ".norm__swap.").replace(".norm3.", ".norm2.").replace(".norm__swap.", ".norm3.")
        if new == "scale_shift_table":
            new = "head.modulation"
        elif new.endswith(".scale_shift_table"):
            new = new.removesuffix("scale_shift_table") + "modulation"
        elif new.startswith("proj_out."):
            new = "head.head." + new.removeprefix("proj_out.")
        renamed[new] = value.contiguous()
    return renamed


RESNET_PARTS = {"norm1.gamma": "residual.0.gamma", "conv1.": "residual.2.", "norm2.gamma": "residual.3.gamma",
                "conv2.": "residual.6.", "conv_shortcut.": "shortcut."}  # fmt: skip


def _resnet(rest: str) -> str:
    for diffusers_part, wan_part in RESNET_PARTS.items():
        if rest.startswith(diffusers_part):
            return wan_part + rest.removeprefix(diffusers_part)
    return rest


QUANT_CONVS = {"quant_conv.weight": "conv1.weight", "quant_conv.bias": "conv1.bias",
               "post_quant_conv.weight": "conv2.weight", "post_quant_conv.bias": "conv2.bias"}  # fmt: skip


def wan_vae_keys(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """For the Wan2.1 VAE layout (4 levels, 2 residual blocks each), the one diffusers converts."""
    import re

    renamed = {}
    for key, value in state_dict.items():
        new = QUANT_CONVS.get(key, key)
        new = re.sub(r"^(encoder|decoder)\.conv_in\.", r"\1.conv1.", new)
        new = re.sub(r"^(encoder|decoder)\.norm_out\.gamma", r"\1.head.0.gamma", new)
        new = re.sub(r"^(encoder|decoder)\.conv_out\.", r"\1.head.2.", new)
        new = re.sub(r"\.mid_block\.attentions\.0\.", ".middle.1.", new)
        if match := re.match(r"^(encoder|decoder)\.mid_block\.resnets\.(\d)\.(.*)$", new):
            new = f"{match[1]}.middle.{2 * int(match[2])}.{_resnet(match[3])}"
        elif match := re.match(r"^encoder\.down_blocks\.(\d+)\.(.*)$", new):
            new = f"encoder.downsamples.{match[1]}.{_resnet(match[2])}"
        elif match := re.match(r"^decoder\.up_blocks\.(\d)\.resnets\.(\d)\.(.*)$", new):
            new = f"decoder.upsamples.{4 * int(match[1]) + int(match[2])}.{_resnet(match[3])}"
        elif match := re.match(r"^decoder\.up_blocks\.(\d)\.upsamplers\.0\.(.*)$", new):
            new = f"decoder.upsamples.{4 * int(match[1]) + 3}.{match[2]}"
        renamed[new] = value.contiguous()
    return renamed


def build_spiece_model() -> bytes:
    """A real SentencePiece Unigram model over the tiny vocabulary, as ComfyUI stores umT5's."""
    import io

    import sentencepiece

    words = WORDS.split()
    sentences = [" ".join(words[index:] + words[:index]) for index in range(len(words))] * 5
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, vocab_size=40, model_type="unigram",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2,
    )  # fmt: skip
    return model.getvalue()


COMFY_T2V_FILES = {
    "transformer": "diffusion_models/wan2.2_t2v_high_noise_14B_fp16.safetensors",
    "transformer_2": "diffusion_models/wan2.2_t2v_low_noise_14B_fp16.safetensors",
    "text_encoder": "text_encoders/umt5_xxl_fp16.safetensors",
    "vae": "vae/wan_2.1_vae.safetensors",
}


def build_comfy_t2v(comfy_dir: Path, configs_dir: Path, seed: int = 0) -> dict[str, Path]:
    """A tiny T2V-A14B as ComfyUI keeps it: <comfy_dir>/models/<folder>/<file> with the original key
    names (fp16, as the *_fp16 files), and the umT5 file carrying `spiece_model`. configs_dir gets the
    tiny models' configs in the layout of wan_sidecar/configs/t2v-a14b. Returns component -> file."""
    import json

    from safetensors.torch import save_file

    torch.manual_seed(seed)
    spiece = build_spiece_model()
    text_encoder = build_text_encoder(40)
    vae = latent_sensitive(AutoencoderKLWan(base_dim=4, z_dim=16, dim_mult=[1, 2, 4, 4], num_res_blocks=2))
    experts = {"transformer": build_transformer(16), "transformer_2": build_transformer(16)}
    for name, part in [*experts.items(), ("vae", vae)]:
        part.save_config(configs_dir / name)
    (configs_dir / "text_encoder").mkdir(parents=True, exist_ok=True)
    text_encoder.config.to_json_file(configs_dir / "text_encoder" / "config.json")
    build_scheduler().save_config(configs_dir / "scheduler")
    index = {"_class_name": "WanPipeline", "boundary_ratio": 0.875, "expand_timesteps": False}
    (configs_dir / "model_index.json").write_text(json.dumps(index))

    half = {name: {key: value.half() for key, value in part.state_dict().items()} for name, part in experts.items()}
    umt5 = {
        key: value.half() for key, value in text_encoder.state_dict().items() if key != "encoder.embed_tokens.weight"
    }
    umt5["spiece_model"] = torch.frombuffer(bytearray(spiece), dtype=torch.uint8)
    files = {name: comfy_dir / "models" / relative for name, relative in COMFY_T2V_FILES.items()}
    contents = {
        "transformer": wan_transformer_keys(half["transformer"]),
        "transformer_2": wan_transformer_keys(half["transformer_2"]),
        "text_encoder": umt5,
        "vae": wan_vae_keys(vae.state_dict()),
    }
    for name, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file({key: value.contiguous() for key, value in contents[name].items()}, path)
    return files
