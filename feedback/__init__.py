"""Feedback on the lab's work: comments on mission profiles, goals and measures, and the shared
profiles of a cohort ("Learning from each other").
"""
