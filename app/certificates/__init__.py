"""Certificates: issued when an employee meets a course's certification rule; verified by code."""
