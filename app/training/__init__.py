"""Assignments, onboarding plans, "my training", team dashboards and notifications."""
