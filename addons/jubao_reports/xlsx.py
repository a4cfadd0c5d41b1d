"""xlsx workbooks: the analysis (summary, one sheet per dimension, native
charts) and the ledgers (streamed row by row in constant-memory mode).

Only plain figures go in: these functions never touch the database.
"""
import io

from jubao.analysis import DASH
from jubao.filenames import date_range_label
from jubao.xlsx import safe_workbook

FONT = '宋体'
TITLE_FONT = '黑体'
INVALID_SHEET_CHARS = str.maketrans({c: '_' for c in '[]:*?/\\'})


def sheet_name(name, used):
    "A valid, unique worksheet name (31 characters at most)."
    base = (name or '-').translate(INVALID_SHEET_CHARS)[:31]
    candidate, i = base, 2
    while candidate in used:
        suffix = f'({i})'
        candidate = base[:31 - len(suffix)] + suffix
        i += 1
    used.add(candidate)
    return candidate


class _Formats:
    def __init__(self, workbook):
        add = workbook.add_format
        self.title = add({'font_name': TITLE_FONT, 'font_size': 16,
                'bold': True, 'align': 'center', 'valign': 'vcenter'})
        self.subtitle = add({'font_name': FONT, 'font_size': 11,
                'align': 'center'})
        self.header = add({'font_name': TITLE_FONT, 'bold': True,
                'border': 1, 'align': 'center', 'valign': 'vcenter',
                'text_wrap': True, 'bg_color': '#D9E1F2'})
        self.text = add({'font_name': FONT, 'border': 1, 'valign': 'top',
                'text_wrap': True})
        self.integer = add({'font_name': FONT, 'border': 1,
                'num_format': '#,##0'})
        self.percent = add({'font_name': FONT, 'border': 1,
                'num_format': '0.0%'})
        self.change = add({'font_name': FONT, 'border': 1,
                'num_format': '+0.0%;-0.0%;0.0%'})
        self.points = add({'font_name': FONT, 'border': 1,
                'num_format': '+0.0;-0.0;0.0'})
        self.date = add({'font_name': FONT, 'border': 1,
                'num_format': 'yyyy-mm-dd', 'align': 'left'})
        self.dash = add({'font_name': FONT, 'border': 1, 'align': 'center'})
        self.note = add({'font_name': FONT, 'italic': True,
                'font_color': '#595959'})


def _print_setup(sheet, title, header_row, landscape=True, columns=None):
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_header('&C&"黑体,Bold"&12' + title.replace('&', '&&'))
    sheet.set_footer('&C第 &P 页，共 &N 页')
    if columns is not None:
        sheet.print_area(0, 0, header_row + 1, columns - 1)


def _pct(value):
    "Percent Decimal (12.5) -> fraction for Excel, or None."
    return None if value is None else float(value) / 100


def _write(sheet, row, col, value, fmt, formats):
    if value is None:
        sheet.write_string(row, col, DASH, formats.dash)
    else:
        sheet.write(row, col, value, fmt)


def _table(sheet, formats, start_row, headers, rows, widths=None):
    """Write a header row and rows of (value, kind) cells; return the next
    free row."""
    for col, heading in enumerate(headers):
        sheet.write_string(start_row, col, heading, formats.header)
        if widths:
            sheet.set_column(col, col, widths[col])
    kinds = {'text': formats.text, 'int': formats.integer,
        'pct': formats.percent, 'chg': formats.change, 'date': formats.date,
        'pp': formats.points}
    row = start_row
    for row_values in rows:
        row += 1
        for col, (value, kind) in enumerate(row_values):
            if kind in ('pct', 'chg'):
                value = _pct(value)
            elif kind == 'pp' and value is not None:
                value = float(value)
            _write(sheet, row, col, value, kinds[kind], formats)
    return row + 1


def _title(sheet, formats, title, subtitle, width):
    sheet.merge_range(0, 0, 0, width - 1, title, formats.title)
    sheet.merge_range(1, 0, 1, width - 1, subtitle, formats.subtitle)
    sheet.set_row(0, 28)


DIMENSION_HEADERS = ['项目', '件数', '占比', '上期', '环比', '上年同期', '同比']


def write_analysis(figures, output=None, progress=None):
    """Write the analysis workbook to ``output`` (path or file object) and
    return the bytes when ``output`` is None."""
    buffer = io.BytesIO() if output is None else output
    workbook = safe_workbook(buffer, {'in_memory': True})
    formats = _Formats(workbook)
    used = set()
    period = figures['period']['name']
    scope = figures['scope_name']
    title = f'{scope}信访举报情况分析'
    dates = date_range_label(figures['period']['date_from'],
        figures['period']['date_to'])
    subtitle = (f'统计期间：{period}（{dates}）  环比：'
        f'{figures["previous_period"]["name"]}  同比：'
        f'{figures["last_year_period"]["name"]}')
    workbook.set_properties({'title': f'{title}（{period}）',
            'subject': period, 'comments': subtitle})

    # Summary sheet
    summary = workbook.add_worksheet(sheet_name('总体情况', used))
    _title(summary, formats, f'{title}（{period}）', subtitle, 6)
    header_row = 3
    next_row = _table(summary, formats, header_row,
        ['项目', '本期', '上期', '环比', '上年同期', '同比'],
        [[('信访举报总量', 'text'), (figures['total'], 'int'),
                (figures['previous_total'], 'int'), (figures['mom'], 'chg'),
                (figures['last_year_total'], 'int'), (figures['yoy'], 'chg')]],
        [26, 12, 12, 12, 12, 14])
    next_row = _table(summary, formats, next_row + 1,
        ['主要指标', '本期件数', '本期占比', '上期占比', '上年同期占比',
            '占比同比增减（百分点）'],
        [[(ind['label'], 'text'), (ind['count'], 'int'),
                (ind['share'], 'pct'), (ind['previous_share'], 'pct'),
                (ind['last_year_share'], 'pct'),
                (ind['share_change_yoy'], 'pp')]
            for ind in figures['indicators']])
    next_row = _table(summary, formats, next_row + 1,
        ['办理时效', '应办件数', '按期办理', '超期', '按期率'],
        [[(t['label'], 'text'), (t['total'], 'int'),
                (t['on_time'], 'int'), (t['late'], 'int'),
                (t['share'], 'pct')]
            for t in figures['timeliness']])
    backlog = figures['backlog']
    next_row = _table(summary, formats, next_row + 1,
        [f'{backlog["year"]}年度清零', '受理件数', '已办结', '未办结',
            '办结率'],
        [[('年度问题线索办结情况', 'text'), (backlog['total'], 'int'),
                (backlog['concluded'], 'int'), (backlog['open'], 'int'),
                (backlog['share'], 'pct')]])
    _print_setup(summary, f'{title}（{period}）', header_row)
    if progress:
        progress('summary')

    # Monthly trend with a line chart, also shown on the summary sheet
    trend = workbook.add_worksheet(sheet_name('月度趋势', used))
    trend_name = trend.get_name()
    _title(trend, formats, f'月度趋势（{period}）', subtitle, 3)
    end = _table(trend, formats, header_row, ['月份', '本期', '上年同期'],
        [[(t['label'], 'text'), (t['count'], 'int'),
                (t['last_year'], 'int')] for t in figures['trend']],
        [14, 12, 12])
    _print_setup(trend, f'月度趋势（{period}）', header_row)
    if figures['trend']:
        first, last = header_row + 1, end - 1
        for target, anchor in ((trend, 'E4'),
                (summary, f'A{next_row + 2}')):
            chart = workbook.add_chart({'type': 'line'})
            for col, name in ((1, '本期'), (2, '上年同期')):
                chart.add_series({
                        'name': name,
                        'categories': [trend_name, first, 0, last, 0],
                        'values': [trend_name, first, col, last, col],
                        'marker': {'type': 'circle'},
                        })
            chart.set_title({'name': '信访举报月度趋势',
                    'name_font': {'name': TITLE_FONT}})
            chart.set_y_axis({'name': '件数'})
            chart.set_size({'width': 620, 'height': 300})
            target.insert_chart(anchor, chart)

    # One sheet per dimension with a column chart
    for dimension in figures['dimensions']:
        sheet = workbook.add_worksheet(sheet_name(dimension['title'], used))
        name = sheet.get_name()
        heading = f'{dimension["title"]}（{period}）'
        _title(sheet, formats, heading, subtitle, len(DIMENSION_HEADERS))
        rows = [[(r['label'], 'text'), (r['count'], 'int'),
                (r['share'], 'pct'), (r['previous'], 'int'),
                (r['mom'], 'chg'), (r['last_year'], 'int'),
                (r['yoy'], 'chg')] for r in dimension['rows']]
        end = _table(sheet, formats, header_row, DIMENSION_HEADERS, rows,
            [28, 10, 10, 10, 10, 10, 10])
        if dimension['key'] in ('authority', 'rank', 'sector', 'unit',
                'category'):
            sheet.write_string(end, 0, '注：一件举报涉及多个被反映人或问题类别时'
                '分别计数，占比之和可能超过100%。', formats.note)
        _print_setup(sheet, heading, header_row)
        if rows:
            first, last = header_row + 1, header_row + len(rows)
            chart = workbook.add_chart({'type': 'column'})
            for col, series in ((1, '本期'), (5, '上年同期')):
                chart.add_series({
                        'name': series,
                        'categories': [name, first, 0, last, 0],
                        'values': [name, first, col, last, col],
                        })
            chart.set_title({'name': dimension['title'],
                    'name_font': {'name': TITLE_FONT}})
            chart.set_size({'width': 620, 'height': 320})
            sheet.insert_chart(header_row, len(DIMENSION_HEADERS) + 1, chart)
        if progress:
            progress(dimension['key'])

    # Key persons, matters and sectors
    sheet = workbook.add_worksheet(sheet_name('重点人重点事重点领域', used))
    heading = f'重点人、重点事、重点行业领域（{period}）'
    _title(sheet, formats, heading, subtitle, 4)
    row = _table(sheet, formats, header_row,
        ['被反映人', '单位', '职务', f'被举报次数（≥{figures["key_person_threshold"]}）'],
        [[(p['name'], 'text'), (p['unit'], 'text'), (p['position'], 'text'),
                (p['count'], 'int')] for p in figures['key_persons']],
        [16, 28, 20, 18])
    row = _table(sheet, formats, row + 1, ['重点事项（问题类别）', '件数', '占比', '同比'],
        [[(m['label'], 'text'), (m['count'], 'int'), (m['share'], 'pct'),
                (m['yoy'], 'chg')] for m in figures['key_matters']])
    _table(sheet, formats, row + 1, ['重点行业领域', '件数', '占比', '同比'],
        [[(m['label'], 'text'), (m['count'], 'int'), (m['share'], 'pct'),
                (m['yoy'], 'chg')] for m in figures['key_sectors']])
    _print_setup(sheet, heading, header_row)
    workbook.close()
    if progress:
        progress('close')
    if output is None:
        return buffer.getvalue()


class LedgerWriter:
    """Stream a ledger into an xlsx file: rows are written and flushed one
    by one (constant memory), so a year of reports fits any machine."""

    def __init__(self, output, title, subtitle, columns):
        self.workbook = safe_workbook(output, {'constant_memory': True})
        self.formats = _Formats(self.workbook)
        self.columns = columns
        self.sheet = self.workbook.add_worksheet(sheet_name(title, set()))
        self.workbook.set_properties({'title': title, 'comments': subtitle})
        width = len(columns)
        self.sheet.merge_range(0, 0, 0, width - 1, title, self.formats.title)
        self.sheet.merge_range(1, 0, 1, width - 1, subtitle,
            self.formats.subtitle)
        for col, (heading, kind, col_width) in enumerate(columns):
            self.sheet.set_column(col, col, col_width)
            self.sheet.write_string(3, col, heading, self.formats.header)
        _print_setup(self.sheet, title, 3)
        self.sheet.freeze_panes(4, 0)
        self.row = 4
        self.kinds = {'text': self.formats.text, 'int': self.formats.integer,
            'date': self.formats.date}
        # (column, kind, format) of each column, chosen once: no lookup
        # per cell.
        sheet = self.sheet
        self._string = sheet.write_string
        self._number = sheet.write_number
        self._date = sheet.write_datetime
        self._blank = sheet.write_blank
        self._cells = [(col, kind, self.kinds[kind])
            for col, (_, kind, _) in enumerate(columns)]

    def write(self, values):
        row = self.row
        string, number, date, blank = (
            self._string, self._number, self._date, self._blank)
        for (col, kind, fmt), value in zip(self._cells, values):
            if value is None or value == '':
                blank(row, col, None, fmt)
            elif kind == 'text':
                string(row, col,
                    value if value.__class__ is str else str(value), fmt)
            elif kind == 'date':
                date(row, col, value, fmt)
            else:
                number(row, col, value, fmt)
        self.row = row + 1

    def close(self):
        if self.row > 4:
            self.sheet.autofilter(3, 0, self.row - 1, len(self.columns) - 1)
        self.workbook.close()
