from PIL import Image, ImageChops, ImageDraw, ImageFont

from detectors.evidence.fonts import cjk_font


def test_pictures_are_drawn_in_the_simplified_chinese_face():
    assert cjk_font(24).getname() == ("Noto Sans CJK SC", "Regular")


def test_the_face_draws_mainland_forms_unlike_the_collections_first_face():
    japanese = ImageFont.truetype(cjk_font(48).path, 48, index=0)
    drawn = [_drawn("骨", face) for face in (cjk_font(48), japanese)]
    assert ImageChops.difference(*drawn).getbbox() is not None


def _drawn(text, face):
    image = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(image).text((8, 0), text, font=face, fill=255)
    return image
