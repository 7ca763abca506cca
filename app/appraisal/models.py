"""Models of app/appraisal (being built)."""
