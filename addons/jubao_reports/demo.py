"""Demo data: saved analyses of the last complete quarter and of the year
so far for the district, and the quarter of one street committee."""
from trytond.pool import Pool

from jubao import periods


def _last_quarter(today):
    number = (today.month - 1) // 3
    if number == 0:
        return today.year - 1, 4
    return today.year, number


def load_demo():
    pool = Pool()
    Analysis = pool.get('jubao.analysis')
    Office = pool.get('jubao.office')
    today = pool.get('ir.date').today()
    year, quarter = _last_quarter(today)
    street = Office.id_from_xml_id('office_street_1')
    specs = [
        ('quarter', year, quarter, None,
            "季度信访举报形势分析，供信息例会研判。"),
        ('custom', today.year, None, None,
            "年度以来信访举报情况，跟踪问题线索年度清零进度。"),
        ('quarter', year, quarter, street,
            "街道纪工委本单位季度分析示例。"),
        ]
    for period_type, y, number, office, notes in specs:
        if period_type == 'quarter':
            date_from, date_to = periods.quarter(y, number)
        else:
            date_from, date_to = periods.year(y)[0], today
        record = Analysis(period_type=period_type, year=y,
            period_number=number, date_from=date_from, date_to=date_to,
            office=office, notes=notes)
        name = record.on_change_with_name()
        if Analysis.search([('name', '=', name)]):
            continue
        record.name = name
        record.save()
