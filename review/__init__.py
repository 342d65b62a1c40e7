"""The review workbench for traffic police: log in, work through the queue of detected
violations, watch the evidence, confirm or reject (docs/review.md). The application factory is
``review.app.create_app``."""
