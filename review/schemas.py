"""What the workbench's forms send and what its figures hook returns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from analytics.decisions.models import DecisionChange
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.users import Role


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class QueuePageQuery(QueueQuery):
    """The queue page's parameters: the filters and which page of the result."""

    page: int = Field(default=1, ge=1)

    def filters(self) -> QueueQuery:
        return QueueQuery.model_validate(self.model_dump(exclude={"page"}))


class LoginForm(_Form):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    next: str = ""


class DecisionForm(_Form):
    """The event page's form: confirm with a disposition, or reject with a reason; platform
    and rider code either way."""

    version: int = Field(ge=0)  # the decision's version the reviewer saw (0: undecided)
    action: Literal["confirm", "reject"]
    reason_code: str = ""
    comment: str = ""
    # '': not chosen yet; 'unknown': the reviewer cannot tell; 'none': no courier.
    courier_platform: str = Field(default="", max_length=40)
    rider_code: str = ""
    disposition: str = ""
    fine_yuan: str = Field(default="", max_length=12)

    def change(self) -> DecisionChange:
        """The decision this form asks for (raises pydantic's ValidationError when invalid).
        Fields that do not belong to the chosen action are ignored, as the page hides them."""
        is_confirm = self.action == "confirm"
        is_fine = is_confirm and self.disposition == "fine"
        return DecisionChange(
            decision="confirmed" if is_confirm else "rejected",
            reason_code=None if is_confirm else self.reason_code,
            comment=self.comment,
            courier_platform=self.courier_platform,
            rider_code=self.rider_code,
            disposition=self.disposition if is_confirm else None,
            fine_yuan=(self.fine_yuan.strip() or None) if is_fine else None,
        )


class NewUserForm(_Form):
    username: str = Field(max_length=64)
    role: Role
    password: str = Field(max_length=1024)
    # One district per line (or separated by commas); blank: every district.
    districts: str = Field(default="", max_length=4000)


class UserActiveForm(_Form):
    is_active: bool


class UserDistrictsForm(_Form):
    districts: str = Field(default="", max_length=4000)


def district_list(text: str) -> list[str] | None:
    """Districts typed one per line or separated by commas (中文逗号 too); None when blank."""
    names = [
        name.strip()
        for line in text.replace("，", ",").replace("、", ",").splitlines()
        for name in line.split(",")
    ]
    names = [name for name in names if name]
    return names or None


class BoardFigures(BaseModel):
    """The review figures the workbench shows: events by status, confirmed ones by rule, by
    courier platform (the reviewed platform where there is one) and by disposition."""

    model_config = ConfigDict(frozen=True)

    count_pending: int = 0
    count_awaiting_second: int = 0
    count_disputed: int = 0
    count_confirmed: int = 0
    count_rejected: int = 0
    confirmed_by_rule: dict[str, int] = Field(default_factory=dict)
    confirmed_by_platform: dict[str, int] = Field(default_factory=dict)
    confirmed_by_disposition: dict[str, int] = Field(default_factory=dict)
    fine_yuan_total: int = 0
    source: str = ""  # where the figures come from, shown under them


# The figures hook: given the warehouse folder and the reviewer's districts (None: all), the
# figures. The default counts the review store; the board (analytics.board) can supply its
# published ones instead.
FiguresSource = Callable[[Path, tuple[str, ...] | None], BoardFigures]
