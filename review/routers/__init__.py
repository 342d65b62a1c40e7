"""One router per resource: auth, queue, events, decisions, evidence, board, users."""
