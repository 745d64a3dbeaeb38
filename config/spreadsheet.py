"""Spreadsheet cells that never run as formulas (CSV/XLSX exports) and the way back (imports).

A cell starting with a formula sign (or with an apostrophe, so that the escaping can be undone)
gets a leading apostrophe; `unescape_cell` removes it again, so export → import is lossless.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """Text for a spreadsheet cell that never runs as a formula (the inverse of unescape_cell)."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unescape_cell(text: str) -> str:
    """Remove the apostrophe that escape_cell (or a spreadsheet) put before a formula sign."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text
