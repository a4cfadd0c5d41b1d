# This file is part of jubao.
"""Exports that a spreadsheet opens as text, never as formulas.

export_data is Tryton's export: sao and the Tryton client write its rows to
a CSV file, the /<database>/data/<model> route serves them as CSV.  A value
such as ``=HYPERLINK(...)`` typed into a summary would run in Excel, so
text that a spreadsheet would read as a formula gets a leading ' (OWASP).
A mixin of every stored model (tryton.cfg, register_mixin): models added
later are covered without anyone remembering it.  (Which records an export
may reach is checked in security.py.)
"""
from jubao.xlsx import csv_text


class SpreadsheetSafeExport:
    "export_data without formula-looking text"
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        rows = super().export_data(records, fields_names, header=header)
        return [[csv_text(value) for value in row] for row in rows]
