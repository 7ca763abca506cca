"""Scenario drills, complaint-record exercises, polite-language drills and observation checklists.

Layer 4 (DESIGN §1): reads the catalog of app/content, records scores through app/results, and
never imports app/quizzes (its sibling). The drill kinds form a registry (``registry.py``) that
the training layer builds assignments on.
"""
