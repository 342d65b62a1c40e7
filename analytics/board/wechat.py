"""The board as one long image, 1080 pixels wide, for WeChat: drawn with Pillow in Noto Sans CJK
(the font the evidence stills use), from the same context as the public page.

Drawing happens in two passes over one list of blocks: the first measures their heights, the
second paints them on a canvas of the total height. No browser is needed to publish.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from detectors.evidence.fonts import cjk_font

WIDTH = 1080
MARGIN = 60
RED, BLACK, BLUE, GREY, INK = "#c8102e", "#1c1c1c", "#1f5fa8", "#666666", "#222222"
NOTICE = "#fff3cd"
LIST_COLOURS = {"red": RED, "black": BLACK, "ranked": BLUE}
ROWS_SHOWN = 5  # a list's first five: a phone screen's worth; the page has them all

Block = tuple[int, Callable[[Image.Image, int], None]]  # height, paint(image, top)


def draw_wechat_image(context: dict[str, Any], path: Path, logo: Path | None) -> None:
    blocks = page_blocks(context, logo)
    height = sum(block_height for block_height, _ in blocks) + MARGIN
    image = Image.new("RGB", (WIDTH, height), "white")
    top = 0
    for block_height, paint in blocks:
        paint(image, top)
        top += block_height
    image.save(path, format="PNG", compress_level=1)  # optimize: 6x the time, 4% smaller


def page_blocks(context: dict[str, Any], logo: Path | None) -> list[Block]:
    config = context["config"]
    blocks = [masthead(config.title, context["dates"], config.issuer, logo)]
    if context["synthetic"]:
        blocks.append(
            boxed("本榜所用数据为合成数据，仅供演示，不代表任何真实路口、街乡或平台。", NOTICE, INK)
        )
    for section in context["sections"]:
        if section["city"]:
            line = (
                f"{section['name']}：全市每千{section['unit']}违法 {section['city']['rate']:.1f} 起"
            )
            if section["city_last"]:
                line += f"（上周 {section['city_last']['rate']:.1f} 起）"
            blocks.append(paragraph(line, 34, INK))
    review = context["review"]
    if review["count_total"]:
        blocks.append(
            paragraph(
                f"本周发现违法 {review['count_total']:,} 起，已由民警审核 "
                f"{review['count_decided']:,} 起（{100 * review['share_decided']:.1f}%）。",
                30,
                GREY,
            )
        )
    for row in context["enforcement"]:
        blocks.append(
            paragraph(
                f"{context['rule_names'][row['rule']]}：本周依法处理 {row['count_cases']:,} 起，"
                f"其中罚款 {row['count_fines']:,} 起、共 {row['fine_yuan_total']:,} 元，"
                f"曝光 {row['count_exposure_only']:,} 起。",
                30,
                INK,
            )
        )
    for section in context["sections"]:
        blocks.append(heading(section["name"]))
        for listed in section["lists"]:
            blocks += list_blocks(listed, section["unit"])
    if context["campaign_line"]:
        blocks += [heading("专项整治"), paragraph(context["campaign_line"], 30, INK)]
    action = config.call_to_action + (f"\n{config.contact}" if config.contact else "")
    blocks.append(boxed(action, RED, "white", size=36))
    footer = f"{config.issuer + ' · ' if config.issuer else ''}发布于 {context['published_local']}"
    footer += "。每个榜单列前五名，完整榜单和计算方法见网页版。"
    blocks.append(paragraph(footer, 26, GREY))
    return blocks


def masthead(title: str, dates: str, issuer: str | None, logo: Path | None) -> Block:
    height = 260 if issuer or logo else 210

    def paint(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, top, WIDTH, top + height - 20), fill=RED)
        draw.text((MARGIN, top + 40), title, font=cjk_font(72), fill="white")
        draw.text((MARGIN, top + 135), dates, font=cjk_font(40), fill="white")
        if issuer:
            draw.text((MARGIN, top + 190), issuer, font=cjk_font(30), fill="white")
        if logo and logo.suffix.lower() in (".png", ".jpg", ".jpeg"):
            with Image.open(logo) as mark:
                mark.thumbnail((140, 140))
                image.paste(mark, (WIDTH - MARGIN - mark.width, top + 40))

    return height, paint


def heading(text: str) -> Block:
    def paint(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        draw.text((MARGIN, top + 40), text, font=cjk_font(48), fill=INK)
        draw.line((MARGIN, top + 108, WIDTH - MARGIN, top + 108), fill=RED, width=4)

    return 130, paint


def list_blocks(listed: dict[str, Any], unit: str) -> list[Block]:
    colour = LIST_COLOURS[listed["css"]]

    def band(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        draw.rectangle((MARGIN, top + 20, WIDTH - MARGIN, top + 92), fill=colour)
        draw.text((MARGIN + 24, top + 32), listed["title"], font=cjk_font(38), fill="white")
        draw.text(
            (WIDTH - MARGIN - 24, top + 40),
            f"每千{unit}",
            font=cjk_font(28),
            fill="white",
            anchor="ra",
        )

    return [(96, band)] + [entry_block(entry) for entry in listed["entries"][:ROWS_SHOWN]]


def entry_block(entry: dict[str, Any]) -> Block:
    name_width = WIDTH - 2 * MARGIN - 280
    names = wrapped(entry["label"], cjk_font(36), name_width)
    details = wrapped(entry["detail"], cjk_font(26), name_width)
    height = 24 + 50 * len(names) + 38 * len(details)

    def paint(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        draw.text((MARGIN + 24, top + 14), str(entry["rank"]), font=cjk_font(40), fill=INK)
        y = top + 14
        for line in names:
            draw.text((MARGIN + 100, y), line, font=cjk_font(36), fill=INK)
            y += 50
        for line in details:
            draw.text((MARGIN + 100, y), line, font=cjk_font(26), fill=GREY)
            y += 38
        draw.text(
            (WIDTH - MARGIN - 130, top + 14),
            f"{entry['rate']:.1f}",
            font=cjk_font(40),
            fill=INK,
            anchor="ra",
        )
        draw.text(
            (WIDTH - MARGIN - 10, top + 22),
            entry["move"],
            font=cjk_font(28),
            fill=GREY,
            anchor="ra",
        )
        draw.line(
            (MARGIN, top + height - 2, WIDTH - MARGIN, top + height - 2), fill="#e2e2e2", width=2
        )

    return height, paint


def paragraph(text: str, size: int, colour: str) -> Block:
    lines = wrapped(text, cjk_font(size), WIDTH - 2 * MARGIN)
    step = int(size * 1.5)

    def paint(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((MARGIN, top + 16 + step * number), line, font=cjk_font(size), fill=colour)

    return 24 + step * len(lines), paint


def boxed(text: str, fill: str, colour: str, size: int = 30) -> Block:
    lines = [
        part
        for chunk in text.split("\n")
        for part in wrapped(chunk, cjk_font(size), WIDTH - 2 * MARGIN - 48)
    ]
    step = int(size * 1.5)
    height = 40 + step * len(lines) + 24

    def paint(image: Image.Image, top: int) -> None:
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle((MARGIN, top + 20, WIDTH - MARGIN, top + height - 4), 12, fill=fill)
        for number, line in enumerate(lines):
            draw.text(
                (MARGIN + 24, top + 34 + step * number), line, font=cjk_font(size), fill=colour
            )

    return height, paint


def wrapped(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (Chinese breaks anywhere)."""
    lines, line = [], ""
    for character in text:
        if face.getlength(line + character) > width and line:
            lines.append(line)
            line = character.lstrip()
        else:
            line += character
    return [*lines, line] if line else lines
