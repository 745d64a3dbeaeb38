"""Kollegiale Fallberatung: a case given to a group, its moderator and consultants, the phases of
the session with their notes, and what came of it.
"""
