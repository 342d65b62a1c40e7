"""The review workbench for traffic police: log in, work through the queue of detected
violations, watch the evidence, confirm or reject (docs/review.md)."""

from review.app import create_app
from review.settings import ReviewSettings

__all__ = ["ReviewSettings", "create_app"]
