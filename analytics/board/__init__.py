"""The weekly 文明交通红黑榜: rankings by violations per 1,000 exposures, published as revisions."""

from analytics.board.config import BoardConfig, load_board_config
from analytics.board.coverage import WeekCoverage, week_coverage
from analytics.board.publish import publish_week

__all__ = ["BoardConfig", "WeekCoverage", "load_board_config", "publish_week", "week_coverage"]
