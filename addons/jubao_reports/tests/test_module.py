import io
import unittest
import unittest.mock
import zipfile
from decimal import Decimal

import openpyxl

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.jubao_intake.tests.tools import as_user, create_user
from trytond.modules.jubao_reports.engine import (
    DIMENSIONS, SHARE_CONDITIONS)
from trytond.modules.jubao_reports.engine import Analysis as Engine
from trytond.modules.jubao_reports.tests.tools import (
    TODAY, D, create_fixture)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from jubao.indicators import CASE_SHARES
from jubao.workdays import add_working_days

Q3 = (D(2026, 7, 1), D(2026, 9, 30))


def rows_by_key(figures, dimension):
    for item in figures['dimensions']:
        if item['key'] == dimension:
            return {r['key']: (r['count'], r['share'], r['previous'],
                    r['last_year']) for r in item['rows']}
    raise KeyError(dimension)


def naive_dimension_counts(engine):
    """{dimension: {value: (current, previous, last_year)}} counted report
    by report in Python: the oracle of the SQL counts."""
    Case = Pool().get('jubao.case')
    domain = [('state', '!=', 'draft')]
    if engine.office:
        domain.append(('handling_office', '=', engine.office.id))
    windows = [engine.windows[w] for w in ('current', 'previous', 'last_year')]
    result = {key: {} for key, _, _, _ in DIMENSIONS}
    for case in Case.search(domain):
        inside = [start <= case.received_date <= end
            for start, end in windows]
        if not any(inside):
            continue
        for key, _, source, field_name in DIMENSIONS:
            if source == 'case':
                value = getattr(case, field_name)
                values = {getattr(value, 'id', value)}
            elif source == 'subject':
                values = {getattr(s, field_name) for s in case.subjects}
            else:
                values = {c.id for c in case.categories}
            for value in values:
                counts = result[key].setdefault(value, [0, 0, 0])
                for i, flag in enumerate(inside):
                    counts[i] += flag
    return {key: {v: tuple(c) for v, c in counts.items()}
        for key, counts in result.items()}


def xlsx_execute(report_name, ids, data=None):
    Report = Pool().get(report_name, type='report')
    ext, content, _, name = Report.execute(ids, data or {})
    return ext, bytes(content), name


class JubaoReportsTestCase(ModuleTestCase):
    "Test jubao_reports"
    module = 'jubao_reports'
    language = 'zh_CN'

    @with_transaction()
    def test_totals_and_comparisons(self):
        "Totals, 环比 and 同比 of the quarter"
        create_fixture()
        figures = Engine(*Q3, today=TODAY).compute()
        self.assertEqual(figures['period']['name'], '2026年第三季度')
        self.assertEqual(figures['previous_period']['name'], '2026年第二季度')
        self.assertEqual(figures['last_year_period']['name'], '2025年第三季度')
        self.assertEqual((figures['total'], figures['previous_total'],
                figures['last_year_total']), (8, 3, 3))
        self.assertEqual(figures['mom'], Decimal('166.7'))
        self.assertEqual(figures['yoy'], Decimal('166.7'))

    @with_transaction()
    def test_indicators(self):
        "Real-name, online, out-of-scope and repeat shares"
        create_fixture()
        figures = Engine(*Q3, today=TODAY).compute()
        indicators = {i['key']: (i['count'], i['share'], i['previous_share'],
                i['last_year_share']) for i in figures['indicators']}
        self.assertEqual(indicators, {
                'real_name': (4, Decimal('50.0'), Decimal('33.3'),
                    Decimal('33.3')),
                'online': (3, Decimal('37.5'), Decimal('33.3'),
                    Decimal('33.3')),
                'out_of_scope': (2, Decimal('25.0'), Decimal('33.3'),
                    Decimal('0.0')),
                'repeat': (1, Decimal('12.5'), Decimal('0.0'),
                    Decimal('0.0')),
                })

    @with_transaction()
    def test_indicator_sql_matches_domain(self):
        "Each share counts by SQL exactly the reports its domain finds"
        Case = Pool().get('jubao.case')
        create_fixture()
        self.assertEqual(set(SHARE_CONDITIONS), set(CASE_SHARES))
        for period in [Q3, (D(2026, 4, 1), D(2026, 6, 30)),
                (D(2025, 7, 1), D(2025, 9, 30))]:
            figures = Engine(*period, today=TODAY).compute()
            base = figures['total_domain']
            self.assertEqual(Case.search_count(base), figures['total'])
            counts = {i['key']: i['count'] for i in figures['indicators']}
            for key, domain in CASE_SHARES.items():
                with self.subTest(key=key, period=period):
                    self.assertEqual(
                        Case.search_count(base + domain), counts[key])
            for row in figures['indicators']:
                with self.subTest(key=row['key'], period=period):
                    self.assertEqual(
                        Case.search_count(row['domain']), row['count'])

    @with_transaction()
    def test_dimensions(self):
        "Every dimension counted exactly"
        records = create_fixture()
        figures = Engine(*Q3, today=TODAY).compute()
        self.assertEqual(rows_by_key(figures, 'channel'), {
                'letter': (3, Decimal('37.5'), 2, 2),
                'online': (3, Decimal('37.5'), 1, 1),
                'phone': (1, Decimal('12.5'), 0, 0),
                'visit': (1, Decimal('12.5'), 0, 0),
                })
        self.assertEqual(rows_by_key(figures, 'kind'), {
                'accusation': (6, Decimal('75.0'), 3, 3),
                'appeal': (1, Decimal('12.5'), 0, 0),
                'suggestion': (1, Decimal('12.5'), 0, 0),
                })
        self.assertEqual(rows_by_key(figures, 'scope'), {
                'in_scope': (5, Decimal('62.5'), 2, 3),
                'out_of_scope': (2, Decimal('25.0'), 1, 0),
                'mixed': (1, Decimal('12.5'), 0, 0),
                })
        categories = {r['label']: (r['count'], r['share'], r['previous'],
                r['last_year']) for r in figures['dimensions'][3]['rows']}
        self.assertEqual(categories, {
                '违反廉洁纪律': (3, Decimal('37.5'), 1, 2),
                '违反群众纪律': (2, Decimal('25.0'), 0, 1),
                '违反政治纪律': (2, Decimal('25.0'), 1, 0),
                })
        self.assertEqual(rows_by_key(figures, 'authority'), {
                'district': (4, Decimal('50.0'), 1, 0),
                'street': (2, Decimal('25.0'), 0, 0),
                'city': (1, Decimal('12.5'), 0, 0),
                'other': (1, Decimal('12.5'), 0, 0),
                })
        self.assertEqual(rows_by_key(figures, 'rank'), {
                'township': (4, Decimal('50.0'), 1, 0),
                'staff': (2, Decimal('25.0'), 0, 0),
                'county': (1, Decimal('12.5'), 0, 0),
                None: (1, Decimal('12.5'), 0, 0),
                })
        self.assertEqual(rows_by_key(figures, 'sector'), {
                'construction': (4, Decimal('50.0'), 1, 0),
                'education': (2, Decimal('25.0'), 0, 0),
                'health': (1, Decimal('12.5'), 0, 0),
                None: (1, Decimal('12.5'), 0, 0),
                })
        self.assertEqual(rows_by_key(figures, 'unit'), {
                '区建设局': (4, Decimal('50.0'), 1, 0),
                '区教育局': (2, Decimal('25.0'), 0, 0),
                '区卫健委': (1, Decimal('12.5'), 0, 0),
                '某公司': (1, Decimal('12.5'), 0, 0),
                })
        office = Pool().get('jubao.office').from_xml_id
        s1, s2 = office('office_street_1'), office('office_street_2')
        d1, d2 = office('office_discipline_1'), office('office_discipline_2')
        self.assertEqual(rows_by_key(figures, 'street'), {
                s1.id: (4, Decimal('50.0'), 1, 2),
                s2.id: (3, Decimal('37.5'), 1, 1),
                None: (1, Decimal('12.5'), 1, 0),
                })
        self.assertEqual(rows_by_key(figures, 'handling_office'), {
                d1.id: (3, Decimal('37.5'), 2, 2),
                d2.id: (2, Decimal('25.0'), 0, 1),
                s1.id: (1, Decimal('12.5'), 0, 0),
                None: (2, Decimal('25.0'), 1, 0),
                })
        self.assertEqual(rows_by_key(figures, 'state'), {
                'accepted': (7, Decimal('87.5'), 3, 3),
                'not_accepted': (1, Decimal('12.5'), 0, 0),
                })
        # Unfilled values are labelled, ordered by count
        sector_rows = figures['dimensions'][6]['rows']
        self.assertEqual(sector_rows[-1]['label'], '（未填写）')
        self.assertEqual([r['count'] for r in sector_rows], [4, 2, 1, 1])
        # Without handling data no report has a disposition yet
        self.assertEqual(rows_by_key(figures, 'disposition'), {
                None: (8, Decimal('100.0'), 3, 3)})
        self.assertEqual(len(records), 16)

    @with_transaction()
    def test_grouped_dimensions_match_naive_counts(self):
        "The GROUPING SETS counts equal per-dimension and per-report counts"
        create_fixture()
        d1 = Pool().get('jubao.office').from_xml_id('office_discipline_1')
        for office in (None, d1):
            with self.subTest(office=office):
                engine = Engine(*Q3, office=office, today=TODAY)
                grouped = engine.grouped_dimension_counts(DIMENSIONS)
                naive = naive_dimension_counts(engine)
                for key, _, source, field_name in DIMENSIONS:
                    alone = engine.dimension_counts(key, source, field_name)
                    self.assertEqual(sorted(grouped[key], key=repr),
                        sorted(alone, key=repr), key)
                    self.assertEqual(
                        {r[0]: tuple(r[1:]) for r in grouped[key]},
                        naive[key], key)
                self.assertTrue(naive['channel'])

    @with_transaction()
    def test_set_based_counts_match_per_part_counts(self):
        "The GROUPING SETS path (PostgreSQL) counts as the per-part path"
        from trytond import backend
        if backend.name != 'postgresql':
            self.skipTest("GROUPING SETS need PostgreSQL")
        create_fixture()
        d1 = Pool().get('jubao.office').from_xml_id('office_discipline_1')

        def normal(counts):
            counts = dict(counts)
            counts['dimensions'] = {key: sorted(rows, key=repr)
                for key, rows in counts['dimensions'].items()}
            return counts
        # a quarter, a year (its previous period is last year), a month
        # and a custom range across months
        for period in (Q3, (D(2026, 1, 1), D(2026, 12, 31)),
                (D(2026, 9, 1), D(2026, 9, 30)),
                (D(2026, 7, 3), D(2026, 8, 15))):
            for office in (None, d1):
                with self.subTest(period=period, office=office):
                    engine = Engine(*period, office=office, today=TODAY)
                    per_part = normal(engine.per_part_counts())
                    self.assertEqual(normal(engine.set_based_counts()),
                        per_part)
                    self.assertEqual(engine.counts().keys(), per_part.keys())
                    if period == Q3 and office is None:
                        self.assertTrue(per_part['totals']['current'])
                        self.assertTrue(per_part['trend'])
                        self.assertTrue(per_part['backlog'][0])

    @with_transaction()
    def test_trend_and_key_figures(self):
        "Monthly trend, key persons (threshold), key matters and sectors"
        create_fixture()
        figures = Engine(*Q3, today=TODAY).compute()
        self.assertEqual([(t['label'], t['count'], t['last_year'])
                for t in figures['trend']], [
                ('2026年7月', 2, 1), ('2026年8月', 2, 1), ('2026年9月', 4, 1)])
        self.assertEqual([(p['name'], p['unit'], p['position'], p['count'])
                for p in figures['key_persons']],
            [('张三', '区建设局', '科长', 4)])
        figures = Engine(*Q3, key_person_threshold=2,
            today=TODAY).compute()
        self.assertEqual([(p['name'], p['count'])
                for p in figures['key_persons']], [('张三', 4), ('李四', 2)])
        self.assertEqual([m['label'] for m in figures['key_matters']],
            ['违反廉洁纪律', '违反群众纪律', '违反政治纪律'])
        self.assertEqual([s['key'] for s in figures['key_sectors']],
            ['construction', 'education', 'health'])

    @with_transaction()
    def test_office_filter(self):
        "An office's analysis counts only the reports it handles"
        create_fixture()
        d1 = Pool().get('jubao.office').from_xml_id('office_discipline_1')
        figures = Engine(*Q3, office=d1, today=TODAY).compute()
        self.assertEqual((figures['total'], figures['previous_total'],
                figures['last_year_total']), (3, 2, 2))
        self.assertEqual(figures['scope_name'], d1.rec_name)
        self.assertEqual(rows_by_key(figures, 'channel'), {
                'letter': (2, Decimal('66.7'), 1, 1),
                'online': (1, Decimal('33.3'), 1, 1),
                })

    @with_transaction()
    def test_custom_period_and_official_names(self):
        "A custom period is compared with the same number of days before"
        create_fixture()
        figures = Engine(D(2026, 9, 1), D(2026, 9, 30), today=TODAY).compute()
        self.assertEqual(figures['period']['name'], '2026年9月')
        self.assertEqual(figures['previous_period']['name'], '2026年8月')
        self.assertEqual(figures['total'], 4)
        self.assertEqual(figures['previous_total'], 2)
        self.assertEqual(figures['mom'], Decimal('100.0'))
        self.assertEqual(figures['last_year_total'], 1)
        figures = Engine(D(2026, 7, 3), D(2026, 7, 15), today=TODAY).compute()
        self.assertEqual(figures['period']['name'], '2026年7月3日至7月15日')
        self.assertEqual(figures['previous_period']['name'],
            '2026年6月20日至7月2日')
        self.assertEqual((figures['total'], figures['previous_total']),
            (2, 1))
        self.assertIsNone(figures['yoy'])

    @with_transaction()
    def test_bad_period(self):
        "date_to before date_from, or a wrong quarter, is refused in Chinese"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        with self.assertRaises(UserError) as cm:
            Engine(D(2026, 9, 30), D(2026, 7, 1))
        self.assertIn('统计截止日期不能早于起始日期', cm.exception.message)
        with self.assertRaises(UserError) as cm:
            Analysis.create([{'name': 'x', 'period_type': 'custom',
                        'date_from': D(2026, 9, 30),
                        'date_to': D(2026, 7, 1)}])
        self.assertIn('统计截止日期不能早于起始日期', cm.exception.message)
        with self.assertRaises(UserError) as cm:
            Analysis.create([{'name': 'x', 'period_type': 'quarter',
                        'year': 2026, 'period_number': 5,
                        'date_from': D(2026, 7, 1),
                        'date_to': D(2026, 9, 30)}])
        self.assertIn('期间序号与期间类型不符', cm.exception.message)
        self.assertEqual(Analysis.search([], count=True), 0)

    @with_transaction()
    def test_analysis_record_and_drill_down(self):
        "A saved analysis stores headline figures and drills down to reports"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        Case = pool.get('jubao.case')
        records = create_fixture()
        analysis = Analysis()
        analysis.period_type = 'quarter'
        analysis.year = 2026
        analysis.period_number = 3
        analysis.date_from = analysis.on_change_with_date_from()
        analysis.date_to = analysis.on_change_with_date_to()
        analysis.name = analysis.on_change_with_name()
        analysis.save()
        self.assertEqual(analysis.name, '2026年第三季度信访举报情况分析')
        self.assertEqual((analysis.date_from, analysis.date_to), Q3)
        self.assertEqual(analysis.total, 8)
        self.assertEqual(analysis.real_name_share, Decimal('50.0'))
        self.assertEqual(analysis.online_share, Decimal('37.5'))
        self.assertEqual(analysis.yoy, Decimal('166.7'))
        action = Analysis.open_cases([analysis])
        domain = PYSONDecoder().decode(action['pyson_domain'])
        self.assertEqual(len(Case.search(domain)), 8)
        online, = [l for l in analysis.lines
            if l.dimension == 'channel' and l.count == 3
            and l.last_year == 1]
        action = online.open_cases([online])
        domain = PYSONDecoder().decode(action['pyson_domain'])
        self.assertEqual({c.id for c in Case.search(domain)},
            {records[n].id for n in ['c2', 'c3', 'c6']})
        person, = [l for l in analysis.lines if l.section == 'key_person']
        domain = PYSONDecoder().decode(
            person.open_cases([person])['pyson_domain'])
        self.assertEqual({c.id for c in Case.search(domain)},
            {records[n].id for n in ['c1', 'c2', 'c3', 'c9']})
        category_ids = {c.id for c in Case.search(PYSONDecoder().decode(
                    [l for l in analysis.lines
                        if l.label == '违反廉洁纪律'][0].domain))}
        self.assertEqual(category_ids,
            {records[n].id for n in ['c1', 'c2', 'c6']})
        # Changing the period recomputes
        Analysis.write([analysis], {'period_type': 'custom',
                'date_from': D(2026, 9, 1), 'date_to': D(2026, 9, 30)})
        self.assertEqual(Analysis(analysis.id).total, 4)

    @with_transaction()
    def test_statistic_model(self):
        "The statistic rows behind the dashboard graphs"
        pool = Pool()
        Statistic = pool.get('jubao.report.case')
        records = create_fixture()
        rows = Statistic.search([('received_date', '>=', Q3[0]),
                ('received_date', '<=', Q3[1])])
        self.assertEqual(len(rows), 8)
        row = Statistic(records['c6'].id)
        self.assertEqual((row.month, row.channel, row.is_repeat),
            ('2026-09', 'online', True))
        # the dashboard pies show translated labels, not selection keys
        labels = Statistic.read([row.id], ['channel_label', 'scope_label'])
        self.assertEqual(labels[0]['channel_label'], '网络举报')
        self.assertTrue(labels[0]['scope_label'])
        action = Statistic.open_case([row])
        self.assertEqual(PYSONDecoder().decode(action['pyson_domain']),
            [['id', 'in', [records['c6'].id]]])

    @with_transaction()
    def test_xlsx_workbook(self):
        "The analysis workbook opens back with its sheets, headings, charts"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        create_fixture()
        analysis, = Analysis.create([{'name': '三季度分析',
                    'period_type': 'quarter', 'year': 2026,
                    'period_number': 3, 'date_from': Q3[0],
                    'date_to': Q3[1]}])
        ext, content, _ = xlsx_execute('jubao.analysis.xlsx', [analysis.id])
        self.assertEqual(ext, 'xlsx')
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames[:5],
            ['总体情况', '月度趋势', '来源渠道', '举报类别', '业务范围'])
        for name in ['问题类别', '干部管理权限', '被反映人职级', '行业领域',
                '被反映人单位',
                '所在街道', '承办单位', '受理状态', '重点人重点事重点领域']:
            self.assertIn(name, workbook.sheetnames)
        summary = workbook['总体情况']
        self.assertEqual(summary['A1'].value,
            '全区信访举报情况分析（2026年第三季度）')
        self.assertIn('同比：2025年第三季度', summary['A2'].value)
        self.assertIn('统计期间：2026年第三季度（2026年7月1日至2026年9月30日）',
            summary['A2'].value)
        self.assertNotIn('2026-07-01', summary['A2'].value)
        self.assertEqual([c.value for c in summary[4]],
            ['项目', '本期', '上期', '环比', '上年同期', '同比'])
        self.assertEqual([c.value for c in summary[5]],
            ['信访举报总量', 8, 3, 1.667, 3, 1.667])
        self.assertEqual([c.value for c in summary[7]][:3],
            ['主要指标', '本期件数', '本期占比'])
        self.assertEqual([c.value for c in summary[8]],
            ['实名举报', 4, 0.5, 0.333, 0.333, 16.7])
        self.assertEqual(summary.page_setup.orientation, 'landscape')
        self.assertEqual(summary.page_setup.paperSize, 9)
        self.assertEqual(summary.print_title_rows, '$4:$4')
        channel = workbook['来源渠道']
        self.assertEqual([c.value for c in channel[4]],
            ['项目', '件数', '占比', '上期', '环比', '上年同期', '同比'])
        self.assertEqual(channel['B5'].value, 3)
        self.assertEqual(len(channel._charts), 1)
        self.assertEqual(len(workbook['月度趋势']._charts), 1)
        self.assertEqual(len(summary._charts), 1)
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        self.assertGreaterEqual(
            len([n for n in names if n.startswith('xl/charts/chart')]), 12)

    @with_transaction()
    def test_draft_document(self):
        "The ODT draft has the four sections with the figures filled in"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        create_fixture()
        analysis, = Analysis.create([{'name': '三季度分析',
                    'period_type': 'quarter', 'year': 2026,
                    'period_number': 3, 'date_from': Q3[0],
                    'date_to': Q3[1]}])
        Report = pool.get('jubao.analysis.draft', type='report')
        ext, content, _, _ = Report.execute([analysis.id], {})
        self.assertEqual(ext, 'odt')
        text = zipfile.ZipFile(io.BytesIO(bytes(content))).read(
            'content.xml').decode('utf-8')
        for heading in ['一、总体形势', '二、主要特点', '三、突出问题',
                '四、意见建议']:
            self.assertIn(heading, text.replace('</text:span>', '')
                .replace('<text:span>', ''))
        self.assertIn('2026年第三季度，全区共受理信访举报八件（8件），'
            '同比增长166.7%，环比增长166.7%。', text)
        self.assertIn('被反映三次以上的重点人一人：张三（4次）', text)
        self.assertIn('二是反映问题相对集中，主要涉及违反廉洁纪律（3件）、'
            '违反群众纪律（2件）、违反政治纪律（2件）。', text)
        self.assertIn('四是从被反映人层级看，', text)
        self.assertNotIn('（未填写）', text)
        self.assertNotIn('举报人c1', text)
        self.assertIn('本稿根据2026年7月1日至2026年9月30日的统计数据', text)
        self.assertNotIn('2026-07-01', text)

    @with_transaction()
    def test_unit_sees_own_office_only(self):
        "A street committee analyses its own office only"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        Office = pool.get('jubao.office')
        create_fixture()
        s1 = Office.from_xml_id('office_street_1')
        d1 = Office.from_xml_id('office_discipline_1')
        unit = create_user('street1', 'group_unit', 'office_street_1')
        district, = Analysis.create([{'name': '全区', 'period_type': 'quarter',
                    'year': 2026, 'period_number': 3,
                    'date_from': Q3[0], 'date_to': Q3[1]}])
        with as_user(unit):
            self.assertEqual(Analysis.default_office(), s1.id)
            with self.assertRaises(UserError) as cm:
                Analysis.create([{'name': 'x', 'period_type': 'quarter',
                            'year': 2026, 'period_number': 3,
                            'date_from': Q3[0], 'date_to': Q3[1],
                            'office': None}])
            self.assertIn('您只能分析本单位', cm.exception.message)
            with self.assertRaises(UserError) as cm:
                Analysis.create([{'name': 'x', 'period_type': 'quarter',
                            'year': 2026, 'period_number': 3,
                            'date_from': Q3[0], 'date_to': Q3[1],
                            'office': d1.id}])
            self.assertIn('您无权分析', cm.exception.message)
            own, = Analysis.create([{'name': '本单位',
                        'period_type': 'quarter', 'year': 2026,
                        'period_number': 3, 'date_from': Q3[0],
                        'date_to': Q3[1], 'office': s1.id}])
            self.assertEqual(own.total, 1)
            self.assertEqual(Analysis.search([]), [own])
            with self.assertRaises(AccessError):
                Analysis.read([district.id], ['total'])
            with self.assertRaises(UserError):
                xlsx_execute('jubao.analysis.ledger.xlsx', [], {
                        'kind': 'register', 'date_from': Q3[0],
                        'date_to': Q3[1], 'office': None})
            ext, content, _ = xlsx_execute(
                'jubao.analysis.xlsx', [own.id])
            summary = openpyxl.load_workbook(io.BytesIO(content))['总体情况']
            self.assertEqual(summary['B5'].value, 1)

    @with_transaction()
    def test_demo_is_idempotent(self):
        "The demo loader creates the saved analyses once"
        from trytond.modules.jubao_reports.demo import load_demo
        Analysis = Pool().get('jubao.analysis')
        create_fixture()
        load_demo()
        analyses = Analysis.search([])
        self.assertEqual(len(analyses), 3)
        self.assertTrue(all(a.lines for a in analyses))
        load_demo()
        self.assertEqual(Analysis.search([], count=True), 3)

    @with_transaction()
    def test_district_roles(self):
        "Leaders and analysts analyse the whole district; clerks do not"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        create_fixture()
        for login, group, office in [
                ('leader', 'group_leader', 'office_general'),
                ('analyst', 'group_analyst', 'office_case_management')]:
            user = create_user(login, group, office)
            with as_user(user):
                analysis, = Analysis.create([{'name': login,
                            'period_type': 'quarter', 'year': 2026,
                            'period_number': 3, 'date_from': Q3[0],
                            'date_to': Q3[1]}])
                self.assertEqual(analysis.total, 8)
        clerk = create_user('clerk', 'group_clerk', 'office_complaints')
        with as_user(clerk):
            with self.assertRaises(AccessError):
                Analysis.search([])

    @with_transaction()
    def test_timeliness_with_holidays(self):
        "Deadlines counted in working days (make-up Sunday 2026-09-20)"
        create_fixture(with_handling=True)
        # Sunday 2026-09-20 is a make-up working day: 15 working days from
        # 2026-09-01 end on 09-21 (c9's notice on 09-22 is late), and the
        # Mid-Autumn holiday does not shift c1's and c4's deadlines.
        self.assertEqual(add_working_days(D(2026, 9, 1), 15), D(2026, 9, 21))
        self.assertEqual(add_working_days(D(2026, 6, 30), 15),
            D(2026, 7, 21))
        figures = Engine(*Q3, today=TODAY).compute()
        timeliness = {t['key']: (t['total'], t['on_time'], t['late'],
                t['share']) for t in figures['timeliness']}
        self.assertEqual(timeliness, {
                'acceptance_notice': (4, 1, 3, Decimal('25.0')),
                'feedback': (2, 1, 1, Decimal('50.0')),
                'direct': (1, 1, 0, Decimal('100.0')),
                'forward': (1, 0, 1, Decimal('0.0')),
                'assign': (1, 1, 0, Decimal('100.0')),
                })
        backlog = figures['backlog']
        self.assertEqual((backlog['total'], backlog['concluded'],
                backlog['open'], backlog['share']),
            (9, 3, 6, Decimal('33.3')))
        self.assertEqual(rows_by_key(figures, 'disposition'), {
                'verify': (1, Decimal('12.5'), 0, 0),
                'close': (1, Decimal('12.5'), 1, 0),
                'talk': (1, Decimal('12.5'), 0, 0),
                None: (5, Decimal('62.5'), 2, 3),
                })
        self.assertEqual(rows_by_key(figures, 'truth'), {
                'true': (1, Decimal('12.5'), 0, 0),
                'false': (1, Decimal('12.5'), 0, 0),
                'unverifiable': (0, Decimal('0.0'), 1, 0),
                None: (6, Decimal('75.0'), 2, 3),
                })

    @with_transaction()
    def test_deadline_across_national_day(self):
        "A feedback due after National Day is on time by working days"
        pool = Pool()
        Case = pool.get('jubao.case')
        records = create_fixture(with_handling=True)
        due = add_working_days(D(2026, 9, 22), 15)
        # Mid-Autumn (09-25), National Day (10-01 to 10-07) and the
        # make-up Saturday 10-10: plain weekdays would end on 10-13.
        self.assertEqual(due, D(2026, 10, 20))
        table = Case.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.concluded_date, table.feedback_due,
                    table.feedback_date, table.disposition],
                [D(2026, 9, 22), due, D(2026, 10, 19), 'close'],
                where=table.id == records['c2'].id))
        figures = Engine(D(2026, 10, 1), D(2026, 12, 31),
            today=TODAY).compute()
        feedback, = [t for t in figures['timeliness']
            if t['key'] == 'feedback']
        self.assertEqual((feedback['total'], feedback['on_time']), (1, 1))
        self.assertEqual(figures['period']['name'], '2026年第四季度')


class CommandLineTestCase(unittest.TestCase):
    "Arguments of the command-line export"

    def test_period_arguments(self):
        from trytond.modules.jubao_reports.cli import parse_args
        args = parse_args(['-d', 'db', '--period', '2026Q3', '-o', 'x.xlsx'])
        self.assertEqual((args.date_from, args.date_to), Q3)
        args = parse_args(['-d', 'db', '--from', '2026-03-05',
                '--to', '2026-03-20', '--ledger', 'real_name', '-o', 'x'])
        self.assertEqual((args.date_from, args.ledger),
            (D(2026, 3, 5), 'real_name'))
        with unittest.mock.patch('sys.stderr'):
            for bad in (['--period', '2026Q5'], ['--from', '2026-03-05']):
                with self.assertRaises(SystemExit):
                    parse_args(['-d', 'db', '-o', 'x.xlsx'] + bad)


del ModuleTestCase
