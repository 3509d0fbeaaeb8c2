"""What the helper model is told for each task: Wan2.2's own extension prompts, and the studio's
translation prompt."""

from __future__ import annotations

from .wan_system_prompts import T2V_A14B_EN_SYS_PROMPT, T2V_A14B_ZH_SYS_PROMPT

# Written for this studio (Wan2.2 has no translation step): faithful, nothing added, only the text.
# "Translate the prompt into Simplified Chinese. Keep every subject, action, number, colour, camera
# movement, shot size and style word; add nothing, drop nothing; proper names may stay as written;
# no explanation; output the translation only."
TRANSLATE_TO_CHINESE = (
    "你是视频生成提示词的翻译。把用户给出的提示词翻译成简体中文。"
    "保留所有主体、动作、数量、颜色、运镜、景别和风格描述，不增加也不删减内容；"
    "专有名词可以保留原文；不要解释，只输出译文。"
)


def instruction_for(task: str, language: str) -> tuple[str, str]:
    """(system prompt, where it comes from) for `translate` or `extend` into `language`."""
    if task == "translate":
        return TRANSLATE_TO_CHINESE, "wan-studio:TRANSLATE_TO_CHINESE"
    if language == "zh":
        return T2V_A14B_ZH_SYS_PROMPT, "Wan2.2 wan/utils/system_prompt.py:T2V_A14B_ZH_SYS_PROMPT"
    return T2V_A14B_EN_SYS_PROMPT, "Wan2.2 wan/utils/system_prompt.py:T2V_A14B_EN_SYS_PROMPT"
