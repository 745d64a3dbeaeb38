"""The expert board: experts' affiliation and function, report drafts opened to the board and the
experts' comments on them, recommendations (Handlungsempfehlungen) accepted into a report.
"""
