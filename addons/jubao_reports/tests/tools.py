"""A fixed fixture of reports for the analysis tests.

Periods: 2026 Q3 (current), 2026 Q2 (previous, 环比) and 2025 Q3 (同比).
The expected figures are written out by hand in the tests.  The handling
data (deadlines, dispositions, hand-offs) is added only on request: the
figures of most tests are those of the reports as received.
"""
import datetime as dt

from trytond.pool import Pool
from trytond.transaction import Transaction

from jubao.workdays import add_working_days

D = dt.date
TODAY = D(2026, 11, 22)


def create_fixture(with_handling=False):
    """Create the reports, with their handling data when ``with_handling``;
    return a dict of the records by fixture name."""
    pool = Pool()
    Case = pool.get('jubao.case')
    Category = pool.get('jubao.problem.category')
    office = pool.get('jubao.office').from_xml_id
    d1, d2 = office('office_discipline_1'), office('office_discipline_2')
    s1, s2 = office('office_street_1'), office('office_street_2')
    pol, integ, mass = Category.create([
            {'name': '违反政治纪律', 'sequence': 1},
            {'name': '违反廉洁纪律', 'sequence': 2},
            {'name': '违反群众纪律', 'sequence': 3},
            ])
    zhang = {'name': '张三', 'unit': '区建设局', 'position': '科长',
        'rank': 'township', 'authority': 'district',
        'sector': 'construction'}
    li = {'name': '李四', 'unit': '区教育局', 'position': '干部',
        'rank': 'staff', 'authority': 'street', 'sector': 'education'}
    wang = {'name': '王五', 'unit': '区卫健委', 'position': '主任',
        'rank': 'county', 'authority': 'city', 'sector': 'health'}
    zhao = {'name': '赵六', 'unit': '某公司', 'authority': 'other'}

    specs = [
        # name, date, channel, kind, scope, real name, office, street,
        # categories, subjects, state
        ('c1', D(2026, 7, 3), 'letter', 'accusation', 'in_scope', True,
            d1, s1, [integ], [zhang], 'accepted'),
        ('c2', D(2026, 7, 15), 'online', 'accusation', 'in_scope', False,
            d1, s1, [integ, mass], [zhang, li], 'accepted'),
        ('c3', D(2026, 8, 2), 'online', 'accusation', 'in_scope', False,
            s1, s1, [mass], [zhang], 'accepted'),
        ('c4', D(2026, 8, 20), 'phone', 'appeal', 'in_scope', True,
            d2, s2, [pol], [wang], 'accepted'),
        ('c5', D(2026, 9, 1), 'visit', 'suggestion', 'out_of_scope', False,
            None, None, [], [], 'accepted'),
        ('c6', D(2026, 9, 10), 'online', 'accusation', 'mixed', True,
            d2, s2, [integ], [li], 'accepted'),
        ('c7', D(2026, 9, 30), 'letter', 'accusation', 'out_of_scope',
            False, None, s1, [], [zhao], 'not_accepted'),
        ('c8', D(2026, 9, 15), 'letter', None, None, False,
            None, None, [], [], 'draft'),
        ('c9', D(2026, 9, 1), 'letter', 'accusation', 'in_scope', True,
            d1, s2, [pol], [zhang], 'accepted'),
        ('c10', D(2026, 10, 1), 'letter', 'accusation', 'in_scope', False,
            d1, s1, [integ], [], 'accepted'),
        ('p1', D(2026, 6, 30), 'letter', 'accusation', 'in_scope', True,
            d1, s1, [integ], [zhang], 'accepted'),
        ('p2', D(2026, 4, 1), 'online', 'accusation', 'in_scope', False,
            d1, s2, [pol], [], 'accepted'),
        ('p3', D(2026, 5, 20), 'letter', 'accusation', 'out_of_scope',
            False, None, None, [], [], 'accepted'),
        ('l1', D(2025, 7, 1), 'letter', 'accusation', 'in_scope', True,
            d1, s1, [integ], [], 'accepted'),
        ('l2', D(2025, 9, 30), 'letter', 'accusation', 'in_scope', False,
            d2, s2, [integ], [], 'accepted'),
        ('l3', D(2025, 8, 8), 'online', 'accusation', 'in_scope', False,
            d1, s1, [mass], [], 'accepted'),
        ]
    vlist = []
    for (name, date, channel, kind, scope, real_name, handling, street,
            categories, subjects, state) in specs:
        values = {
            'number': None if state == 'draft' else f'测试-{name}',
            'received_date': date,
            'channel': channel,
            'kind': kind,
            'scope': scope,
            'real_name': real_name,
            'summary': f'测试举报{name}',
            'handling_office': handling.id if handling else None,
            'street': street.id if street else None,
            'categories': [('add', [c.id for c in categories])],
            'subjects': [('create', [dict(s) for s in subjects])],
            'state': state,
            }
        if real_name:
            values['reporters'] = [('create', [{
                            'name': f'举报人{name}',
                            'phone': '13800138000',
                            }])]
        if channel == 'visit':
            values['visitor_count'] = 1
        vlist.append(values)
    with Transaction().set_context(_check_access=False):
        cases = Case.create(vlist)
    records = {spec[0]: case for spec, case in zip(specs, cases)}
    Case.write([records['c6']], {'repeat_of': records['c2'].id})
    if with_handling:
        _handling_data(records)
    return records


def _handling_data(records):
    """Deadlines computed with the official working-day calendar: the 15
    working days from 2026-09-01 end on 2026-09-21 because Sunday
    2026-09-20 is a make-up working day (a plain weekday count gives
    2026-09-22)."""
    pool = Pool()
    Case = pool.get('jubao.case')
    Assignment = pool.get('jubao.case.assignment')
    office = pool.get('jubao.office').from_xml_id
    table = Case.__table__()
    cursor = Transaction().connection.cursor()

    def update(name, **values):
        columns = [getattr(table, k) for k in values]
        cursor.execute(*table.update(columns, list(values.values()),
                where=table.id == records[name].id))

    wd = add_working_days
    update('c1', acceptance_notice_due=wd(D(2026, 7, 3), 15),
        acceptance_notice_date=wd(D(2026, 7, 3), 15),
        disposition='verify', truth='true', concluded_date=D(2026, 8, 10),
        feedback_due=wd(D(2026, 8, 10), 15), feedback_date=D(2026, 8, 28))
    update('c4', acceptance_notice_due=wd(D(2026, 8, 20), 15),
        acceptance_notice_date=D(2026, 9, 11),
        disposition='close', truth='false', concluded_date=D(2026, 9, 1),
        feedback_due=wd(D(2026, 9, 1), 15))
    update('c9', acceptance_notice_due=wd(D(2026, 9, 1), 15),
        acceptance_notice_date=D(2026, 9, 22), disposition='talk')
    # Received in Q2, its acceptance notice falls due in Q3 (2026-07-21)
    # and was never given; the repeat c6 gets no acceptance notice.
    update('p1', acceptance_notice_due=wd(D(2026, 6, 30), 15),
        acceptance_notice_date=None, concluded_date=D(2026, 7, 20),
        disposition='close', truth='unverifiable')
    update('c6', acceptance_notice_due=None, acceptance_notice_date=None)
    # Forwarded for good to the competent body: not in the year's backlog
    update('c5', state='transferred')
    with Transaction().set_context(_check_access=False):
        assignments = Assignment.create([{
                    'case': records['c4'].id, 'method': 'direct',
                    'from_office': office('office_complaints').id,
                    'to_office': office('office_city').id,
                    }, {
                    'case': records['c5'].id, 'method': 'forward',
                    'from_office': office('office_complaints').id,
                    'to_office': office('office_petition_bureau').id,
                    }, {
                    'case': records['c3'].id, 'method': 'assign',
                    'from_office': office('office_complaints').id,
                    'to_office': office('office_street_1').id,
                    }])
    assignment = Assignment.__table__()
    for record, date, due, accepted in [
            (assignments[0], D(2026, 8, 26), wd(D(2026, 8, 20), 5), None),
            (assignments[1], D(2026, 9, 2), wd(D(2026, 9, 2), 5), None),
            (assignments[2], D(2026, 8, 3), wd(D(2026, 8, 3), 5),
                D(2026, 8, 7)),
            ]:
        cursor.execute(*assignment.update(
                [assignment.date, assignment.due_date,
                    assignment.accepted_date, assignment.state],
                [date, due, accepted, 'accepted' if accepted else 'sent'],
                where=assignment.id == record.id))
