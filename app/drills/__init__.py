"""Scenario drills, complaint-record exercises, polite-language drills and observation checklists."""
