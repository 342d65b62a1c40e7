"""The one typeface of every picture the project draws: evidence captions, case sheets, the
board's WeChat image.

Noto Sans CJK, shipped as a Python package, writes Chinese place names as well as Latin and
Vietnamese ones on any machine, offline, without system fonts. Its collection holds one face
per region; the Simplified Chinese one gives the mainland forms police and public read (the
collection's first face is the Japanese one, whose 海, 骨, 直 and 过 are drawn differently).
"""

from __future__ import annotations

import functools

from PIL import ImageFont

SIMPLIFIED_CHINESE_FACE = 2  # Noto Sans CJK SC in NotoSansCJK-Regular.ttc


@functools.cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    from noto_cjk_sans_otc import FONT_PATH

    return ImageFont.truetype(str(FONT_PATH), size, index=SIMPLIFIED_CHINESE_FACE)
