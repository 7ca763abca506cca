"""The quizzes layer's hooks into `flask content check/sync/stats` (being built)."""

from app.content.plugins import ContentPlugin

plugin = ContentPlugin(name="quizzes")
