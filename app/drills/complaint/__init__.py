"""Complaint-record exercises: fill in the complaint form for a written complaint, graded by key facts and rules."""
