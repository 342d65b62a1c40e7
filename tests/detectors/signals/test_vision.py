"""One frame of a rendered signal head, spoilt the ways real cameras spoil it."""

import numpy as np
import pytest

from detectors.signals.states import SignalState
from detectors.signals.vision import read_head

RED, AMBER, GREEN = SignalState.RED, SignalState.AMBER, SignalState.GREEN
VEHICLE = [RED, AMBER, GREEN]
PEDESTRIAN = [RED, GREEN]


def state_of(head, lamps=VEHICLE, layout="vertical") -> SignalState:
    return read_head(head.crop(), lamps, layout).state()


@pytest.mark.parametrize("lamp", VEHICLE)
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda heads, head, i: head, id="clean"),
        pytest.param(lambda heads, head, i: heads.exposure(head, 0.3), id="underexposed"),
        pytest.param(lambda heads, head, i: heads.exposure(head, 2.5), id="overexposed"),
        pytest.param(lambda heads, head, i: heads.bloom(head, i), id="bloom"),
        pytest.param(
            lambda heads, head, i: heads.bloom(heads.exposure(head, 0.4), i), id="night-bloom"
        ),
        pytest.param(lambda heads, head, i: heads.jpeg(head, 15), id="jpeg-q15"),
    ],
)
def test_lit_lamp_is_read_through_exposure_glare_and_compression(heads, lamp, spoil):
    index = VEHICLE.index(lamp)
    assert state_of(spoil(heads, heads.render((lamp,)), index)) == lamp


@pytest.mark.parametrize("gain", [0.3, 1.0, 2.5])
def test_dark_head_reads_off_at_any_exposure(heads, gain):
    assert state_of(heads.jpeg(heads.exposure(heads.render(()), gain))) == SignalState.OFF


@pytest.mark.parametrize("lamp", [RED, GREEN])
@pytest.mark.parametrize("digit_slot", [0, 1, 2])
def test_countdown_digits_beside_the_head_do_not_change_the_reading(heads, lamp, digit_slot):
    # The digits show in the current lamp's colour; in another lamp's slot they must not count
    # as that lamp (green digits by the red lens, red digits by the green lens).
    head = heads.countdown(
        heads.render((lamp,)), "25", heads.colours[lamp], digit_slot, beside=True
    )
    assert state_of(head) == lamp


@pytest.mark.parametrize("lamp", [RED, GREEN])
def test_countdown_digits_inside_the_lens_read_as_that_lamp(heads, lamp):
    index = VEHICLE.index(lamp)
    head = heads.countdown(heads.render((lamp,)), "18", heads.colours[lamp], index, beside=False)
    assert state_of(head) == lamp


def test_position_decides_when_the_camera_renders_red_orange_yellow(heads):
    # As in the vn_screenrec clip: the red lamp comes out orange-yellow, the colour of amber.
    orange_red = {**heads.colours, RED: (30, 175, 250)}
    assert state_of(heads.render((RED,), colours=orange_red)) == RED


def test_green_rendered_white_cyan_is_green(heads):
    white_green = {**heads.colours, GREEN: (245, 255, 225)}
    assert state_of(heads.render((GREEN,), colours=white_green)) == GREEN


def test_light_of_the_wrong_hue_family_in_a_slot_is_not_that_lamp(heads):
    # A green glow where the red lens is (a mis-drawn roi, a reflection) is not red.
    swapped = {**heads.colours, RED: heads.colours[GREEN]}
    assert state_of(heads.render((RED,), colours=swapped)) == SignalState.UNKNOWN


def test_red_with_amber_reads_red(heads):
    assert state_of(heads.render((RED, AMBER))) == RED


def test_red_with_green_is_contradictory(heads):
    assert state_of(heads.render((RED, GREEN))) == SignalState.UNKNOWN


@pytest.mark.parametrize("lamp", [RED, GREEN])
def test_pedestrian_head_with_two_lamps(heads, lamp):
    head = heads.render((lamp,), lamps=(RED, GREEN))
    assert state_of(head, lamps=[RED, GREEN]) == lamp


@pytest.mark.parametrize("lamp", VEHICLE)
def test_horizontal_head(heads, lamp):
    head = heads.render((lamp,), layout="horizontal")
    assert state_of(head, layout="horizontal") == lamp


def test_custom_lamp_order_is_followed(heads):
    # A head mounted with green on top: the lens lit at the top is green, not red.
    lamps = (GREEN, AMBER, RED)
    head = heads.render((GREEN,), lamps=lamps)
    assert state_of(head, lamps=list(lamps)) == GREEN


def test_reading_reports_housing_and_lens_levels(heads):
    reading = read_head(heads.render((AMBER,)).crop(), VEHICLE, "vertical")
    assert reading.lit_lamps() == [1]
    assert reading.lens_levels[1] > 3 * reading.housing_level
    assert reading.hues_deg[0] is None and reading.hues_deg[2] is None  # only lit lenses get a hue
    assert 20 < reading.hues_deg[1] < 70


def test_sky_beside_a_loosely_drawn_roi_is_not_a_lamp(heads):
    head = heads.render((GREEN,))
    x, y, w, h = head.roi
    frame = head.frame.copy()
    frame[y : y + h, x + w : x + w + w // 2] = 235  # bright overcast sky right of the housing
    loose = type(head)(frame, (x, y, w + w // 2, h), head.lens_centres)
    assert state_of(loose) == GREEN
    dark = heads.render(())
    dark.frame[y : y + h, x + w : x + w + w // 2] = 235
    assert state_of(type(head)(dark.frame, loose.roi, head.lens_centres)) == SignalState.OFF


def test_noise_alone_never_reads_as_a_lamp():
    rng = np.random.default_rng(3)
    for _ in range(20):
        crop = rng.normal(60, 6, (48, 16, 3)).clip(0, 255).astype(np.uint8)
        assert read_head(crop, VEHICLE, "vertical").state() == SignalState.OFF


# Lamp colours as a night camera renders them: red comes out pink-magenta, amber orange-yellow.
NIGHT_BGR = {RED: (150, 60, 255), AMBER: (40, 190, 255), GREEN: (200, 255, 120)}


@pytest.mark.parametrize("lamp", VEHICLE)
@pytest.mark.parametrize("halo_gain", [0.5, 1.2, 2.2])
def test_a_blooming_lamp_at_night_is_read_where_its_clipped_core_is(heads, lamp, halo_gain):
    index = VEHICLE.index(lamp)
    head = heads.night_glow(heads.render(()), index, NIGHT_BGR[lamp], halo_gain)
    reading = read_head(head.crop(), VEHICLE, "vertical")
    assert reading.core_slots == (index,)
    assert reading.state() == lamp


def test_a_halo_that_lights_the_housing_hides_the_lamp_from_contrast_but_not_its_core(heads):
    # As on the night clip's through head: the housing at 175-195, the amber lens at 255.
    head = heads.night_glow(heads.render(()), 1, NIGHT_BGR[AMBER], halo_gain=2.2)
    reading = read_head(head.crop(), VEHICLE, "vertical")
    assert reading.lens_levels[1] - reading.housing_level < 0.6 * reading.housing_level
    assert reading.lit_lamps() == [1]
    assert reading.state() == AMBER


def test_spill_from_a_blooming_lamp_does_not_light_its_neighbour(heads):
    head = heads.night_glow(heads.render(()), 2, NIGHT_BGR[GREEN], halo_gain=2.2)
    reading = read_head(head.crop(), VEHICLE, "vertical")
    assert reading.lens_levels[1] == reading.lens_levels[2] == 255  # the amber lens clips too
    assert reading.lit_lamps() == [2]


# Red as some night cameras render it: magenta, near violet (hue about 300 degrees).
MAGENTA_RED_BGR = (255, 40, 230)


@pytest.mark.parametrize(
    ("lamps", "lamp", "colour", "slots_off"),
    [
        pytest.param(VEHICLE, RED, NIGHT_BGR[RED], -1 / 3, id="red-at-red/amber"),
        pytest.param(VEHICLE, RED, MAGENTA_RED_BGR, -1 / 3, id="magenta-red-at-red/amber"),
        pytest.param(VEHICLE, AMBER, NIGHT_BGR[AMBER], 1 / 3, id="amber-at-red/amber"),
        pytest.param(VEHICLE, AMBER, NIGHT_BGR[AMBER], -1 / 2, id="amber-at-amber/green"),
        pytest.param(VEHICLE, GREEN, NIGHT_BGR[GREEN], 1 / 2, id="green-at-amber/green"),
        pytest.param(PEDESTRIAN, RED, NIGHT_BGR[RED], -1 / 2, id="red-at-red/green"),
        pytest.param(PEDESTRIAN, GREEN, NIGHT_BGR[GREEN], 1 / 2, id="green-at-red/green"),
    ],
)
def test_a_core_on_the_boundary_of_two_colours_is_placed_by_its_halo_hue(
    heads, lamps, lamp, colour, slots_off
):
    # A roi drawn off along the head (by a share of a slot; negative: too high) puts the core on
    # the boundary of two lamps and its halo over both lenses, as on the night clip's second
    # through head, whose amber core sits on the amber/green boundary and lights the green lens
    # amber. The halo's hue says which lamp it is; by day the same roi reads the same lamp.
    index = lamps.index(lamp)
    dark, lit = heads.render((), lamps=tuple(lamps)), heads.render((lamp,), lamps=tuple(lamps))
    dy = round(slots_off * dark.roi[3] / len(lamps))
    night = heads.shifted(heads.night_glow(dark, index, colour, halo_gain=1.2), 0, dy)
    reading = read_head(night.crop(), lamps, "vertical")
    assert reading.core_slots == (index,)
    assert reading.state() == lamp
    assert state_of(heads.shifted(lit, 0, dy), lamps) == lamp


@pytest.mark.parametrize("lamp", VEHICLE)
@pytest.mark.parametrize(
    ("across", "along"),
    [(0, -0.25), (0, 0.25), (-0.15, 0), (0.15, 0)],
    ids=["high", "low", "left", "right"],
)
def test_a_roi_a_quarter_slot_off_the_head_reads_one_lamp_by_night_and_day(
    heads, lamp, across, along
):
    # Off along the head, the halo lights the neighbouring lens in the lamp's colour: spill, not
    # a second lamp (an amber halo over the red lens is not red with amber).
    index = VEHICLE.index(lamp)
    night = heads.night_glow(heads.render(()), index, NIGHT_BGR[lamp], halo_gain=1.2)
    for head in (night, heads.render((lamp,))):
        _, _, w, h = head.roi
        loose = heads.shifted(head, round(across * w), round(along * h / len(VEHICLE)))
        reading = read_head(loose.crop(), VEHICLE, "vertical")
        assert reading.lit_lamps() == [index]
        assert reading.state() == lamp


@pytest.mark.parametrize(
    ("lamp", "colour", "halo"),
    [(RED, MAGENTA_RED_BGR, 200), (AMBER, NIGHT_BGR[AMBER], 180), (GREEN, NIGHT_BGR[GREEN], 190)],
    ids=["magenta-red", "amber", "green"],
)
def test_a_bloom_that_does_not_clip_is_read_where_the_head_is_brightest(heads, lamp, colour, halo):
    # Through haze the halo lights the housing so far that no lens stands out by contrast, and
    # nothing clips; the core is the one region standing well above the rest of the head.
    index = VEHICLE.index(lamp)
    head = heads.haze_glow(heads.render(()), index, colour, halo, peak=230)
    reading = read_head(head.crop(), VEHICLE, "vertical")
    assert head.crop().max() < 245
    assert max(reading.lens_levels) - reading.housing_level < 0.6 * reading.housing_level
    assert reading.core_slots == (index,)
    assert reading.state() == lamp
    assert state_of(heads.render((lamp,), colours={**heads.colours, lamp: colour})) == lamp


@pytest.mark.parametrize("lamp", VEHICLE)
@pytest.mark.parametrize("halo_gain", [1.2, 2.2])
@pytest.mark.parametrize("side", ["left", "right"])
def test_night_sky_beside_a_head_lit_by_its_halo_is_not_the_housing(heads, lamp, halo_gain, side):
    # By day the sky beside a loose roi is lighter than the housing; at night the halo lights the
    # housing and the sky stays darker: the darker strip must not be taken for the housing.
    index = VEHICLE.index(lamp)
    head = heads.night_glow(heads.render(()), index, NIGHT_BGR[lamp], halo_gain)
    x, y, w, h = head.roi
    loose = type(head)(head.frame, (x - w // 2 if side == "left" else x, y, w + w // 2, h), [])
    reading = read_head(loose.crop(), VEHICLE, "vertical")
    assert reading.core_slots == (index,)
    assert reading.state() == lamp


def test_a_clipped_sky_at_the_end_of_the_roi_is_not_a_lamp_core(heads):
    head = heads.render(())
    x, y, w, h = head.roi
    frame = head.frame.copy()
    frame[y - 10 : y + h // 6, x : x + w] = 255  # overexposed sky above a loosely drawn roi
    loose = type(head)(frame, (x, y - 10, w, h + 10), head.lens_centres)
    assert read_head(loose.crop(), VEHICLE, "vertical").core_slots == ()
