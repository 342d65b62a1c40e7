"""Printed pages without a browser: A4 sheets drawn with Pillow in Noto Sans CJK (shipped as a
Python package, so Chinese renders the same on any machine, offline), saved as one PDF.

Only what a case sheet or a notice needs: a title, headings, label-value rows, paragraphs,
tables and a grid of pictures, flowing onto new pages as they fill. Text wraps by measured
width at any character, so Chinese sentences, long ids and digests all fit.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from detectors.evidence.fonts import cjk_font

DPI = 150
A4_PX = (1240, 1754)  # 210 x 297 mm at 150 dpi
MARGIN_PX = 90
INK, MUTED, RULE, ALERT = (20, 24, 30), (95, 105, 120), (200, 205, 212), (165, 30, 30)


class Paper:
    """Pages being written top to bottom; ``pdf(path)`` saves them."""

    def __init__(self, footer: str = ""):
        self.footer = footer
        self.pages: list[Image.Image] = []
        self._new_page()

    @property
    def width(self) -> int:
        return A4_PX[0] - 2 * MARGIN_PX

    def title(self, text: str) -> None:
        self._lines(text, cjk_font(40), INK, gap_after=18)

    def heading(self, text: str) -> None:
        self._room(80)
        self.y += 14
        self._lines(text, cjk_font(28), INK, gap_after=6)
        self.draw.line((MARGIN_PX, self.y, A4_PX[0] - MARGIN_PX, self.y), fill=RULE, width=2)
        self.y += 10

    def paragraph(self, text: str, *, size: int = 22, color=INK) -> None:
        self._lines(text, cjk_font(size), color, gap_after=8)

    def fields(self, rows: Sequence[tuple[str, str]], *, label_px: int = 230) -> None:
        """Label-value rows: labels in a column, values wrapped beside them."""
        face = cjk_font(22)
        for label, value in rows:
            lines = wrap(value or "—", face, self.width - label_px)
            height = len(lines) * line_height(face)
            self._room(height)
            self._text((MARGIN_PX, self.y), label, face, MUTED)
            for index, line in enumerate(lines):
                top = self.y + index * line_height(face)
                self._text((MARGIN_PX + label_px, top), line, face, INK)
            self.y += height + 3

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        """A table whose columns take ``widths`` (shares of the text width); the header is
        repeated on each page it continues on."""
        face = cjk_font(19)
        columns = [round(share * self.width) for share in widths]
        self._row(header, columns, face, MUTED)
        for row in rows:
            self._row(row, columns, face, INK, header=header)

    def pictures(self, items: Sequence[tuple[str, Path]], columns: int = 4) -> None:
        """Pictures in a grid, each scaled to its cell, with its caption under it."""
        gap = 20
        cell_w = (self.width - gap * (columns - 1)) // columns
        cell_h = round(cell_w * 0.62)
        caption = cjk_font(20)
        for start in range(0, len(items), columns):
            self._room(cell_h + line_height(caption) + gap)
            for column, (text, path) in enumerate(items[start : start + columns]):
                left = MARGIN_PX + column * (cell_w + gap)
                picture = _thumbnail(path, (cell_w, cell_h))
                self.page.paste(picture, (left + (cell_w - picture.width) // 2, self.y))
                self.draw.rectangle((left, self.y, left + cell_w, self.y + cell_h), outline=RULE)
                self._text((left, self.y + cell_h + 4), text, caption, MUTED)
            self.y += cell_h + line_height(caption) + gap

    def pdf(self, path: Path) -> None:
        self._number_pages()
        first, *rest = self.pages
        first.save(path, "PDF", resolution=DPI, save_all=True, append_images=rest, quality=80)

    # -- layout ---------------------------------------------------------------------------

    def _new_page(self) -> None:
        self.page = Image.new("RGB", A4_PX, "white")
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = MARGIN_PX

    def _room(self, height: int) -> None:
        if self.y + height > A4_PX[1] - MARGIN_PX:
            self._new_page()

    def _lines(self, text: str, face: ImageFont.FreeTypeFont, color, gap_after: int) -> None:
        for line in wrap(text, face, self.width):
            self._room(line_height(face))
            self._text((MARGIN_PX, self.y), line, face, color)
            self.y += line_height(face)
        self.y += gap_after

    def _row(self, cells, columns, face, color, header=None) -> None:
        wrapped = [
            wrap(str(cell), face, width - 12) for cell, width in zip(cells, columns, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * line_height(face) + 8
        if self.y + height > A4_PX[1] - MARGIN_PX:
            self._new_page()
            if header is not None:
                self._row(header, columns, face, MUTED)
        left = MARGIN_PX
        for lines, width in zip(wrapped, columns, strict=True):
            for index, line in enumerate(lines):
                self._text((left, self.y + 4 + index * line_height(face)), line, face, color)
            left += width
        self.y += height
        self.draw.line((MARGIN_PX, self.y, A4_PX[0] - MARGIN_PX, self.y), fill=RULE, width=1)

    def _text(self, xy: tuple[int, int], text: str, face: ImageFont.FreeTypeFont, color) -> None:
        """Text drawn from a cached glyph mask: labels, headings and verdicts recur on every
        sheet of an export, and rasterising them once saves a third of a sheet's time."""
        if not text:
            return
        mask, (dx, dy) = _text_mask(text, face)
        self.page.paste(color, (xy[0] + dx, xy[1] + dy), mask)

    def _number_pages(self) -> None:
        face = cjk_font(18)
        for number, page in enumerate(self.pages, start=1):
            text = f"{self.footer}　第 {number} / {len(self.pages)} 页".strip()
            ImageDraw.Draw(page).text(
                (MARGIN_PX, A4_PX[1] - MARGIN_PX + 30), text, font=face, fill=MUTED
            )


@functools.lru_cache(maxsize=4096)
def _text_mask(text: str, face: ImageFont.FreeTypeFont) -> tuple[Image.Image, tuple[int, int]]:
    """The anti-aliased coverage of ``text`` and its offset from the drawing position."""
    left, top, right, bottom = face.getbbox(text)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=face, fill=255)
    return mask, (left, top)


def line_height(face: ImageFont.FreeTypeFont) -> int:
    return round(face.size * 1.38)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than ``width`` px, broken at any character (and at newlines), except
    inside a Latin word, which moves whole to the next line when it can. Widths are summed
    from each character's advance (measured once per font): a sheet wraps thousands of
    characters, and measuring every growing line again would dominate."""
    advance = _advances(face)
    lines = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for character in paragraph:
            step = advance(character)
            if line and used + step > width:
                head, word = _split_word(line, character)
                lines.append(head)
                line = word.lstrip()
                used = sum(map(advance, line))
            else:
                line, used = line + character, used + step
        lines.append(line)
    return lines


def _split_word(line: str, character: str) -> tuple[str, str]:
    """Where to break a full line before ``character``: before the Latin word it continues
    (if that word is short and not the whole line), else right there."""
    if not (character.isascii() and character.isalnum()):
        return line, character
    start = len(line)
    while start and line[start - 1].isascii() and line[start - 1].isalnum():
        start -= 1
    if start > 0 and len(line) - start <= 20:
        return line[:start], line[start:] + character
    return line, character


@functools.lru_cache(maxsize=8)
def _advances(face: ImageFont.FreeTypeFont):
    return functools.lru_cache(maxsize=4096)(face.getlength)


def _thumbnail(path: Path, box: tuple[int, int]) -> Image.Image:
    with Image.open(path) as image:
        image.draft("RGB", box)  # a JPEG decodes at a reduced scale: fast and small
        picture = image.convert("RGB")
    picture.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return picture
