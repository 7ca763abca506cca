"""The standards content: Markdown/YAML files → plain documents → checked → safe HTML.

This package knows nothing of quizzes, drills or appraisal: higher layers plug their own checks
into :func:`app.content.validate.validate` instead of this package importing them.
"""
