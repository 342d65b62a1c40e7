"""What a board counts and how it ranks: one YAML file (board.example.yaml), all fields optional."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from detectors.config.errors import ConfigError, explain_validation_error, read_yaml_mapping
from detectors.config.timezones import TimezoneName

BOARD_CONFIG_KIND = "board config"
EXAMPLE_CONFIG = Path(__file__).with_name("board.example.yaml")


class BoardConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "文明交通红黑榜"
    timezone: TimezoneName = "Asia/Shanghai"
    count_only_confirmed: bool = False
    min_exposures: int = Field(default=200, ge=1)
    baseline_weeks: int = Field(default=4, ge=1, le=26)
    trend_weeks: int = Field(default=5, ge=1, le=52)
    top_n: int = Field(default=10, ge=1, le=100)
    min_camera_hours: float = Field(default=1.0, ge=0)
    min_coverage: float = Field(default=0.5, ge=0, le=1)
    min_listed_entities: int = Field(default=6, ge=1)
    campaign_start: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    accident_period: Literal["week", "month"] = "week"
    correlation_weeks: int = Field(default=13, ge=3, le=104)
    # Who publishes the board, shown on every page and image; None shows no issuer line.
    issuer: str | None = None
    logo: Path | None = None  # an image file (PNG, JPEG or SVG), copied into each revision
    contact: str | None = None  # e.g. 交通违法举报电话：122
    call_to_action: str = (
        "文明出行，从我做起：行人过街请走人行横道、看清信号灯；非机动车请顺行靠右。"
    )
    # Public names; ids not listed show the courier profile's name (platforms) or their id.
    platform_names: dict[str, str] = Field(default_factory=dict)
    intersection_names: dict[str, str] = Field(default_factory=dict)

    @property
    def weeks_read(self) -> int:
        """Weeks of data a board needs: its own week plus the baseline or trend, the longer."""
        return max(self.baseline_weeks, self.trend_weeks - 1) + 1

    def sql_variables(self) -> dict[str, object]:
        return {
            "board_timezone": self.timezone,
            "board_count_only_confirmed": self.count_only_confirmed,
            "board_min_exposures": self.min_exposures,
            "board_baseline_weeks": self.baseline_weeks,
            "board_top_n": self.top_n,
            "board_min_camera_hours": self.min_camera_hours,
            "board_min_listed_entities": self.min_listed_entities,
        }


def load_board_config(path: str | Path | None) -> BoardConfig:
    """The config in ``path``, or the defaults when no path is given."""
    if path is None:
        return BoardConfig()
    path = Path(path)
    data = read_yaml_mapping(path, BOARD_CONFIG_KIND)
    try:
        config = BoardConfig.model_validate(data)
    except ValidationError as exc:
        known = {"top": list(BoardConfig.model_fields)}
        problems = explain_validation_error(exc, known, str(EXAMPLE_CONFIG.name))
        raise ConfigError(path, None, problems, BOARD_CONFIG_KIND) from None
    if config.logo is None:
        return config
    logo = (path.parent / config.logo).resolve()  # relative to the config file
    if not logo.is_file():
        problem = f"logo: no image file at {logo}; give a PNG, JPEG or SVG file's path"
        raise ConfigError(path, "logo", problem, BOARD_CONFIG_KIND)
    return config.model_copy(update={"logo": logo})
