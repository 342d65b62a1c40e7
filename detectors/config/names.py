"""Names shown to people (in Chinese) for what the engine writes: rules, road users, signal
states, zone kinds; and the display names of a camera's zones and signals, which its config may
give (``name``), falling back to the kind of thing and its id."""

from __future__ import annotations

from detectors.config.camera import CameraConfig

RULES = {"pedestrian_red_light": "行人闯红灯", "wrong_way": "非机动车逆行"}
CLASSES = {"person": "行人", "bicycle": "自行车", "motorcycle": "电动车/摩托车"}
SIGNAL_STATES = {
    "red": "红灯",
    "green": "绿灯",
    "flashing_green": "绿灯闪烁",
    "amber": "黄灯",
    "off": "熄灭",
    "unknown": "未知",
}
ZONE_KINDS = {"crosswalk": "人行横道", "lane": "车道"}


def configured_zone_name(camera: CameraConfig, zone_id: str) -> str | None:
    zone = next((z for z in [*camera.crosswalks, *camera.lanes] if z.id == zone_id), None)
    return zone.name if zone is not None else None


def configured_signal_name(camera: CameraConfig, signal_id: str) -> str | None:
    signal = camera.signal(signal_id)
    return signal.name if signal is not None else None


def zone_name(camera: CameraConfig, zone_id: str) -> str:
    """The crosswalk's or lane's name in the config, else its kind and id."""
    kind = "crosswalk" if any(z.id == zone_id for z in camera.crosswalks) else "lane"
    return configured_zone_name(camera, zone_id) or f"{ZONE_KINDS[kind]} {zone_id}"


def signal_name(camera: CameraConfig, signal_id: str) -> str:
    return configured_signal_name(camera, signal_id) or f"信号灯 {signal_id}"
