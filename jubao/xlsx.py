"""Spreadsheets that never run what users typed.

A summary such as ``=HYPERLINK("http://x", "y")`` must reach a clerk's
spreadsheet as text: as a formula it could send the sheet's content (reporter
columns included) elsewhere.  Every xlsx of the platform is opened with
``safe_workbook()``; every text value of an export that becomes a CSV cell
goes through ``csv_text()``.  Formulas the code means are written with
``write_formula()``, which stays available.
"""
import xlsxwriter

# Workbook options that make worksheet.write() store any str as a string
# cell: no formula (=...), no hyperlink (http://, mailto:...), no number.
SAFE_OPTIONS = {
    'strings_to_formulas': False,
    'strings_to_urls': False,
    'strings_to_numbers': False,
    }
# First characters that make a spreadsheet read a CSV cell as a formula
# (OWASP "CSV injection"), with the full-width forms of a Chinese keyboard.
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠')


def safe_workbook(output, options=None):
    "An xlsxwriter Workbook on ``output``; ``options`` cannot undo safety."
    return xlsxwriter.Workbook(output, {**(options or {}), **SAFE_OPTIONS})


def csv_text(value):
    "``value`` with a leading ' if a spreadsheet would run it as a formula."
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
