"""Polite-language drills: type what you would say; graded by required elements and banned phrases."""
