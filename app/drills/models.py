"""Models of app/drills (being built)."""
