"""Shared UI helpers: navigation."""
