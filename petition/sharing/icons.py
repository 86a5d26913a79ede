"""The site's icons, drawn once per process: a tick on the brand colour."""

import io
from functools import lru_cache

from PIL import Image, ImageDraw

from petition.sharing.cards import BACKGROUND, FOREGROUND


def _draw(size: int) -> Image.Image:
    # Drawn large and scaled down, so small sizes are smooth.
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), big // 5, fill=BACKGROUND)
    tick = [(0.24, 0.52), (0.42, 0.70), (0.76, 0.32)]
    draw.line([(x * big, y * big) for x, y in tick], fill=FOREGROUND, width=big // 9, joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=1)
def favicon_ico() -> bytes:
    """Return /favicon.ico: 16, 32 and 48 pixels in one file."""
    out = io.BytesIO()
    _draw(48).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()


@lru_cache(maxsize=1)
def touch_icon_png() -> bytes:
    """Return the 180x180 icon iOS puts on a home screen (opaque: iOS fills transparency black)."""
    icon = _draw(180)
    opaque = Image.new("RGB", icon.size, BACKGROUND)
    opaque.paste(icon, mask=icon)
    out = io.BytesIO()
    opaque.save(out, format="PNG")
    return out.getvalue()
