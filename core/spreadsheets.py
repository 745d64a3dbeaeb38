"""Text in spreadsheet cells (CSV and XLSX exports, the answers import): a cell that starts like a
formula is written with an apostrophe before it, so that no spreadsheet program runs it, and the
import takes that apostrophe off again."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """Text for a spreadsheet cell that never runs as a formula (the inverse of unescape_cell)."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unescape_cell(text: str) -> str:
    """Remove the apostrophe that escape_cell (or a spreadsheet) put before a formula sign."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take `text` for a formula (XLSX cells: store it as text)."""
    return text.startswith(FORMULA_STARTS)
