"""Demo data for `make run`: a small organisation with one account per role. Demo only."""
