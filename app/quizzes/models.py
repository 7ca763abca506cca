"""Models of app/quizzes (being built)."""
