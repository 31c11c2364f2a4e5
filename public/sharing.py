"""Share images: a PNG (1200x630, the size Open Graph and Twitter cards show) per work and
per batch with its title in Chinese and English, drawn with Pillow.

Made lazily on the first request and kept in the cache under a key carrying the record's
`updated_at`, so an edit makes a new image and the old one ages out. Drawing Chinese needs a
font that covers it (settings.SHARE_IMAGE_FONT, Debian's Noto Sans CJK by default); without
one there is no image, and pages offer the site's generic image instead.
"""

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from PIL import Image, ImageDraw, ImageFont

from public.names import bilingual

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (24, 44, 66)
ACCENT = (230, 162, 60)
TEXT = (255, 255, 255)
MUTED = (190, 204, 218)
CACHE_SECONDS = 30 * 24 * 3600


@cache
def _font_file(path: str) -> tuple[str, int] | None:
    """(file, face index) of the font to draw with, or None when it cannot draw Chinese. A
    .ttc holds several faces: the Simplified Chinese one when there is one."""
    if not path or not Path(path).is_file():
        return None
    index = 0
    for candidate in range(10):
        try:
            family, _style = ImageFont.truetype(path, 20, index=candidate).getname()
        except OSError:
            break
        if " SC" in f"{family} ":
            index = candidate
            break
    return path, index


def font_available() -> bool:
    return _font_file(settings.SHARE_IMAGE_FONT) is not None


def _font(size: int):
    path, index = _font_file(settings.SHARE_IMAGE_FONT)
    return ImageFont.truetype(path, size, index=index)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Break `text` into lines no wider than `width`: at spaces where it has them, anywhere
    in Chinese; the last line ends in an ellipsis when the text runs over."""
    units = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines, line = [], ""
    for unit in units:
        trial = f"{line}{joiner}{unit}" if line else unit
        if draw.textlength(trial, font=font) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = unit
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def render(chinese: str, english: str, caption: str) -> bytes:
    """The card: Chinese title large, English title below it, a caption (what the record
    is), the site's name in both scripts at the foot."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 16, HEIGHT], fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    y = MARGIN
    small = _font(30)
    draw.text((MARGIN, y), caption, font=small, fill=ACCENT)
    y += 64
    big = _font(76)
    for line in _wrap(draw, chinese, big, width, 2) if chinese else []:
        draw.text((MARGIN, y), line, font=big, fill=TEXT)
        y += 96
    medium = _font(46)
    for line in _wrap(draw, english, medium, width, 2) if english else []:
        draw.text((MARGIN, y), line, font=medium, fill=MUTED)
        y += 60
    draw.text(
        (MARGIN, HEIGHT - MARGIN - 34),
        "微短剧目录 · Micro-Drama Catalog",
        font=small,
        fill=MUTED,
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _cached(key: str, make) -> bytes:
    png = django_cache.get(key)
    if png is None:
        png = make()
        django_cache.set(key, png, CACHE_SECONDS)
    return png


def version(record) -> str:
    return str(int(record.updated_at.timestamp() * 1000)) if record.updated_at else "0"


def work_image(work) -> bytes:
    english, chinese = bilingual(work)
    caption = " · ".join(filter(None, ["微短剧 · Micro-drama", str(work.year or "")]))
    return _cached(
        f"share-image:work:{work.pk}:{version(work)}",
        lambda: render(chinese or english, english if chinese else "", caption),
    )


def batch_image(batch) -> bytes:
    english, chinese = bilingual(batch.initiative)
    count = batch.total_announced if batch.total_announced is not None else None
    caption = f"第{batch.number}批 · Batch {batch.number}"
    if count is not None:
        caption += f" · {count} 部 works"
    return _cached(
        f"share-image:batch:{batch.pk}:{version(batch)}",
        lambda: render(chinese or english, english if chinese else "", caption),
    )
