"""Quizzes: the question-type registry, drawing, attempts and grading.

Sits above :mod:`app.content` (it reads question documents) and records scores through
``app.results``; it never imports ``app.drills`` or anything above it.
"""
