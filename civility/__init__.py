"""The ``civility`` command line: composes the engine (detectors), the warehouse and board
(analytics), the review workbench (review) and the intake (orchestration) into one tool."""
