"""The review decision store: ``WAREHOUSE/review/review.sqlite`` (users, sessions, decisions with
versions and double review, claims, audit trail, security log, and the indexed queue of events
to review), and the review policy (penalty schedule). See docs/review.md.

Nothing is imported here: the command line imports its modules only when a command runs."""
