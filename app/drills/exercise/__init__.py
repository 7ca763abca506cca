"""The shared base of the two single-POST exercises (complaint record, polite language).

Both show a form with a one-time token, grade the answer at once against a deterministic rubric,
store one row, record which clauses it missed and record the Result. :class:`ExerciseType`
describes what differs between them; models, services and views here are written once.
"""
