"""The lab's protected space: spaces per lab and cohort, thematic groups and networks, threads and
replies, documents, search, moderation.
"""
