"""Observation checklists: a supervisor scores a member of their team, item by item."""
