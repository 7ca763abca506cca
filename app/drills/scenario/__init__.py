"""Branching role-play scenarios: content, graph checks, runs played step by step, scoring."""
