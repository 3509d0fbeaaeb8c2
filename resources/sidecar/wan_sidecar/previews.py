"""Live previews: one small JPEG of a segment's current picture, for the `preview` notification.

Both engines hand an RGB frame (uint8, H x W x 3) of any size to `encode_preview`, which scales it
to the requested size and encodes it. Pillow is imported here, not at module import, so the sidecar
starts without it when nobody asks for previews.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np

JPEG_QUALITY = 80  # small enough for a line of JSON every step, sharp enough to judge a shot


def preview_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The video's aspect ratio with its longest side at max_side (never larger than the video)."""
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def encode_preview(rgb: np.ndarray, video_width: int, video_height: int, max_side: int) -> dict[str, Any]:
    """`rgb` scaled to the video's aspect ratio at preview size: {"width", "height", "mime", "data"}.

    The frame may be smaller than the preview (a latent is 8 or 16 times smaller than the video) or
    larger (a rendered frame); either way it is resampled to the same preview size."""
    from PIL import Image

    width, height = preview_size(video_width, video_height, max_side)
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return {
        "width": width,
        "height": height,
        "mime": "image/jpeg",
        "data": base64.b64encode(buffer.getvalue()).decode("ascii"),
    }
