"""Rules turn tracked road users and signal states into Violations."""
