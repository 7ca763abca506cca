"""Appraisal cycles, scoring, snapshots, HR exports and the HR read API."""
