"""The published boards as a site: ``boards/index.html`` lists every published week, newest
first, and ``latest`` aliases lead to the board as it stands: ``boards/week=W/latest``, a link to
that week's current revision (at the depth of a revision, so the pages' relative links hold), and
``boards/latest.html``, a page that forwards to the newest week's.

Rewritten after every publication and withdrawal; each link and page is replaced in one rename,
so a reader never meets a half-written index or a missing link.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from analytics.board.revisions import (
    BoardRevision,
    board_revisions,
    standing_revision,
    week_folder,
)
from analytics.board.weeks import chinese_date_range, week_monday
from analytics.warehouse.layout import boards_dir
from detectors.atomic import write_atomically

LATEST = "latest"
INDEX = "index.html"
LATEST_PAGE = "latest.html"


@dataclass(frozen=True)
class PublishedWeek:
    week: str
    dates: str  # 2026年11月16日—22日
    current: BoardRevision | None  # None: every revision withdrawn
    revisions: list[BoardRevision]

    @property
    def withdrawn(self) -> list[BoardRevision]:
        return [revision for revision in self.revisions if revision.is_withdrawn]


def published_weeks(root: Path) -> list[PublishedWeek]:
    """Every week with a published revision, newest week first."""
    by_week: dict[str, list[BoardRevision]] = {}
    for revision in board_revisions(root):
        by_week.setdefault(revision.week, []).append(revision)
    weeks = []
    for week, revisions in sorted(by_week.items(), reverse=True):
        dates = chinese_date_range(week_monday(week))
        weeks.append(PublishedWeek(week, dates, standing_revision(revisions), revisions))
    return weeks


def refresh_site(root: Path) -> Path:
    """Point the ``latest`` links at the current revisions and rewrite the index page."""
    from analytics.board.render import page_environment

    weeks = published_weeks(root)
    for week in weeks:
        link(week_folder(root, week.week) / LATEST, week.current and week.current.folder.name)
    newest = next((week for week in weeks if week.current), None)
    title = newest.current.config.get("title") if newest and newest.current.config else None
    environment = page_environment()
    index = boards_dir(root) / INDEX
    write_page(index, environment.get_template("weeks.html.j2").render(weeks=weeks, title=title))
    latest = boards_dir(root) / LATEST_PAGE
    if newest is None:
        latest.unlink(missing_ok=True)
    else:
        target = f"week={newest.week}/rev={newest.current.revision:03d}/index.html"
        write_page(latest, environment.get_template("latest.html.j2").render(target=target))
    return index


def write_page(path: Path, text: str) -> None:
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def link(path: Path, target: str | None) -> None:
    """``path`` as a relative symbolic link to ``target``, or no link for None."""
    if target is None:
        path.unlink(missing_ok=True)
        return
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    partial.symlink_to(target)
    os.replace(partial, path)
