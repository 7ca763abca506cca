"""People: departments, teams, employees and their roles."""
