"""Results: one row per finished activity, the meeting point of quizzes, drills and appraisal."""
