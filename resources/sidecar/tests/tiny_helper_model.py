"""A tiny random-weight Qwen2 instruct model, written like a downloaded Qwen2.5-Instruct folder
(config.json, model.safetensors, tokenizer.json + tokenizer_config.json with a ChatML template).
Nothing comes from the hub: the byte-level BPE tokenizer is trained here on a few sentences."""

from __future__ import annotations

from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

# Qwen2.5's template, reduced to what a system + user message needs.
CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
CORPUS = [
    "a cat sleeps on a warm roof at night, slow camera push",
    "一只猫在屋顶上睡觉，镜头缓缓推进，夜晚，暖色调",
    "雨の夜の東京、傘をさした人々",
    "A fox walks through the snow in the morning light",
]


def build_tokenizer() -> PreTrainedTokenizerFast:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(CORPUS, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>"],
        chat_template=CHATML,
    )


def build_tiny_qwen(folder: Path, seed: int = 0) -> Path:
    """Writes the model into `folder` (created) and returns it."""
    tokenizer = build_tokenizer()
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=16384,  # Wan's system prompts are thousands of byte-level tokens here
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    # Zero logits (the embedding is tied to the output) for the special tokens and for those that
    # decode to whitespace only: greedy decoding then never stops at once or loops on newlines, and a
    # test always gets some text back.
    blank = [i for i in range(len(tokenizer)) if not tokenizer.decode([i], skip_special_tokens=True).strip()]
    with torch.no_grad():
        model.model.embed_tokens.weight[blank] = 0
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
