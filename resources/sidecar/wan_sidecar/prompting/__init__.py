"""Helper language models for prompts: translation into Chinese and Wan2.2's prompt extension,
served as the prompt.* methods (resources/sidecar/PROMPTING.md)."""

from .methods import PromptingHost, register_prompting

__all__ = ["PromptingHost", "register_prompting"]
