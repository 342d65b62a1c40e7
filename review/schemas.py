"""What the workbench's forms send and what its figures hook returns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from analytics.decisions.decisions import DecisionChange
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
    """The event page's form: confirm, or reject with a reason; platform and rider code."""

    version: int = Field(ge=0)  # the decision's version the reviewer saw (0: undecided)
    action: Literal["confirm", "reject"]
    reason_code: str = ""
    comment: str = ""
    courier_platform: str = ""
    rider_code: str = ""

    def change(self) -> DecisionChange:
        """The decision this form asks for (raises pydantic's ValidationError when invalid)."""
        return DecisionChange(
            decision="confirmed" if self.action == "confirm" else "rejected",
            reason_code=self.reason_code if self.action == "reject" else None,
            comment=self.comment,
            courier_platform=self.courier_platform,
            rider_code=self.rider_code,
        )


class NewUserForm(_Form):
    username: str = Field(max_length=64)
    role: Role
    password: str = Field(max_length=1024)


class UserActiveForm(_Form):
    is_active: bool


class BoardFigures(BaseModel):
    """The review figures the workbench shows: events by status, confirmed ones by rule and by
    courier platform (the reviewed platform where there is one)."""

    model_config = ConfigDict(frozen=True)

    count_pending: int = 0
    count_confirmed: int = 0
    count_rejected: int = 0
    confirmed_by_rule: dict[str, int] = Field(default_factory=dict)
    confirmed_by_platform: dict[str, int] = Field(default_factory=dict)
    source: str = ""  # where the figures come from, shown under them


# The figures hook: given the warehouse folder, today's figures. The default reads the review
# store; the board (analytics.board) can supply its published ones instead.
FiguresSource = Callable[[Path], BoardFigures]
