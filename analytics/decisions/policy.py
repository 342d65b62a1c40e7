"""The review policy: which rules need a second reviewer (双人复核) and the penalty schedule
(处罚裁量) of each rule, from ``policy.yaml`` or the file ``$CIVILITY_REVIEW_POLICY`` names."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from detectors.config.errors import ConfigError, explain_validation_error, read_yaml_mapping
from detectors.events.violation import RULES, Rule

Disposition = Literal["fine", "warning", "education", "exposure_only"]
DISPOSITIONS: tuple[Disposition, ...] = get_args(Disposition)
ENV_POLICY = "CIVILITY_REVIEW_POLICY"
DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
_KIND = "review policy"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FineRange(_Strict):
    min: int = Field(ge=1)
    max: int = Field(ge=1)
    default: int = Field(ge=1)

    @model_validator(mode="after")
    def _default_within(self) -> FineRange:
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"fine_yuan default {self.default} is outside [{self.min}, {self.max}]"
            )
        return self


class RulePolicy(_Strict):
    second_review: bool = False
    legal_basis: str = ""
    dispositions: tuple[Disposition, ...] = Field(min_length=1)
    default_disposition: Disposition
    fine_yuan: FineRange | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RulePolicy:
        if self.default_disposition not in self.dispositions:
            raise ValueError(
                f"default_disposition '{self.default_disposition}' is not among dispositions"
            )
        if "fine" in self.dispositions and self.fine_yuan is None:
            raise ValueError("the disposition 'fine' needs fine_yuan: {min, max, default}")
        return self

    def fine_problem(self, disposition: str | None, fine_yuan: int | None) -> str | None:
        """Why this disposition and amount do not fit the schedule (a code), else None."""
        if disposition is None:
            return None
        if disposition not in self.dispositions:
            return "disposition_not_allowed"
        if disposition != "fine":
            return None
        assert self.fine_yuan is not None
        if fine_yuan is None or not self.fine_yuan.min <= fine_yuan <= self.fine_yuan.max:
            return "fine_out_of_range"
        return None


class ReviewPolicy(_Strict):
    rules: dict[Rule, RulePolicy]

    @model_validator(mode="after")
    def _every_rule(self) -> ReviewPolicy:
        missing = [rule for rule in RULES if rule not in self.rules]
        if missing:
            raise ValueError(f"rules {missing} have no policy; add an entry for each")
        return self

    def for_rule(self, rule: str) -> RulePolicy:
        return self.rules[rule]  # type: ignore[index]


def policy_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get(ENV_POLICY) or DEFAULT_POLICY)


def load_policy(path: str | Path | None = None) -> ReviewPolicy:
    """The policy at ``path``, else ``$CIVILITY_REVIEW_POLICY``, else the shipped one."""
    return _load(policy_path(path).resolve())


@functools.cache
def _load(path: Path) -> ReviewPolicy:
    data = read_yaml_mapping(path, _KIND)
    try:
        return ReviewPolicy.model_validate(data)
    except ValidationError as exc:
        fields = {
            "top": ["rules"],
            "rules": list(RULES),
            **{rule: list(RulePolicy.model_fields) for rule in RULES},
            "fine_yuan": list(FineRange.model_fields),
        }
        raise ConfigError(
            path, None, explain_validation_error(exc, fields, "docs/review.md"), _KIND
        ) from None
