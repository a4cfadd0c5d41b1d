# This file is part of jubao.  Import of implementation plans from
# structured files (CSV or XLSX), among them the seed plans shipped in
# data/: all rows or nothing.
import datetime as dt
import os

from jubao import plans as plan_rules

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.wizard import Button, StateAction, StateView, Wizard

from .common import today
from .exceptions import PlanImportError
from .task import REVIEW_RHYTHMS

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')
SEED_FILES = {
    'implementation': 'plan_000_implementation.csv',
    'publicity': 'plan_001_publicity_year.csv',
    }
# Internal offices named in the seeds, by their XML id in jubao_intake.
OFFICE_ALIASES = {
    '办公室': 'office_general',
    '组宣部': 'office_publicity',
    '信访室': 'office_complaints',
    '案管室': 'office_case_management',
    '审理室': 'office_trial',
    }


def resolve_office_specs(specs):
    """Return (offices, unknown) for unit specs from jubao.plans.

    ``unknown`` lists the specs that match no active office.
    """
    Office = Pool().get('jubao.office')
    offices, unknown = [], []
    for kind, value in specs:
        if kind == 'kind':
            found = Office.search([('kind', '=', value)], order=[
                    ('sequence', 'ASC NULLS LAST'), ('code', 'ASC'),
                    ('id', 'ASC')])
        elif kind == 'discipline':
            found = Office.search(
                [('name', '=', plan_rules.discipline_name(value))])
            if not found:
                found = [Office.from_xml_id('office_discipline_%s' % value)]
        else:
            found = Office.search([('name', '=', value)])
            if not found and value in OFFICE_ALIASES:
                found = [Office.from_xml_id(OFFICE_ALIASES[value])]
        found = [o for o in found if o]
        if not found:
            unknown.append(value if kind == 'name' else
                plan_rules.discipline_name(value) if kind == 'discipline'
                else {'street': '各街道纪工委',
                    'stationed': '派驻(出)机构'}.get(value, value))
        for office in found:
            if office not in offices:
                offices.append(office)
    return offices, unknown


class Plan(metaclass=PoolMeta):
    __name__ = 'jubao.plan'

    @classmethod
    def import_file(cls, data, filename, name, year, review_rhythm='quarterly',
            campaign=None, date=None):
        """Create a plan from a CSV/XLSX file: all rows or nothing.

        Raises a PlanImportError listing every bad row.
        """
        if not year or year < 2000 or year > 2100:
            raise PlanImportError(gettext(
                    'jubao_publicity.msg_import_bad_year', year=year))
        try:
            rows = plan_rules.read_rows(data, filename or 'plan.csv')
        except plan_rules.RowError as exception:
            raise PlanImportError(gettext(
                    'jubao_publicity.msg_import_bad_file',
                    detail=str(exception)))
        if not rows:
            raise PlanImportError(gettext('jubao_publicity.msg_import_empty'))
        phases = {p.kind: p for p in campaign.phases} if campaign else None
        errors, tasks, seen = [], [], set()
        for line, row in rows:
            values, problems = cls._import_row(
                row, year, review_rhythm, phases, seen)
            if problems:
                errors.append(gettext('jubao_publicity.msg_row_error',
                        line=line, number=row['number'] or '?',
                        problems='；'.join(problems)))
            else:
                tasks.append(values)
        if errors:
            raise PlanImportError(gettext(
                    'jubao_publicity.msg_import_failed', count=len(errors)),
                '\n'.join(errors))
        return cls._create_imported(
            name, year, date or dt.date(year, 1, 1), tasks)

    @classmethod
    def _import_row(cls, row, year, review_rhythm, phases, seen):
        """Return the values of the task of ``row`` and the problems found.

        Long-term tasks get ``review_rhythm``; ``phases`` maps the
        campaign's phase kinds to phases (None without a campaign);
        ``seen`` collects the (section, number) of the rows.
        """
        problems = []
        title = plan_rules.fill_year(row['title'], year)
        number = row['number']
        if not row['section']:
            problems.append(gettext('jubao_publicity.msg_row_no_section'))
        if not title:
            problems.append(gettext('jubao_publicity.msg_row_no_title'))
        if not number:
            problems.append(gettext('jubao_publicity.msg_row_no_number'))
        key = (row['section'], number)
        if number and key in seen:
            problems.append(gettext(
                    'jubao_publicity.msg_row_duplicate', number=number))
        seen.add(key)
        try:
            deadline_type, deadline = plan_rules.parse_deadline(
                row['deadline'], year)
        except plan_rules.DeadlineError:
            deadline_type = deadline = None
            problems.append(gettext('jubao_publicity.msg_row_bad_deadline',
                    deadline=row['deadline']))
        offices = []
        try:
            specs = plan_rules.parse_units(row['units'])
        except plan_rules.UnitError:
            problems.append(gettext('jubao_publicity.msg_row_no_units'))
        else:
            offices, unknown = resolve_office_specs(specs)
            if unknown:
                problems.append(gettext(
                        'jubao_publicity.msg_row_unknown_units',
                        units='、'.join(unknown)))
        phase = None
        if row['phase'] and phases is not None:
            phase = phases.get(row['phase'])
            if not phase:
                problems.append(gettext(
                        'jubao_publicity.msg_row_unknown_phase',
                        phase=row['phase']))
        return {
            'section': row['section'],
            'subsection': row['subsection'] or None,
            'number': number,
            'name': title,
            'content': plan_rules.fill_year(row['content'], year),
            'units_text': row['units'],
            'deadline_text': plan_rules.fill_year(row['deadline'], year),
            'deadline_type': deadline_type,
            'deadline': deadline,
            'review_rhythm': (review_rhythm
                if deadline_type == 'long_term' else None),
            'offices': [('add', [o.id for o in offices])],
            'phase': phase.id if phase else None,
            }, problems

    @classmethod
    def _create_imported(cls, name, year, date, tasks):
        "Create the plan, its sections in order of appearance and tasks."
        pool = Pool()
        Section = pool.get('jubao.plan.section')
        Task = pool.get('jubao.plan.task')
        plan, = cls.create([{'name': name, 'year': year, 'date': date}])
        names = list(dict.fromkeys(t['section'] for t in tasks))
        sections = dict(zip(names, Section.create([{
                            'plan': plan.id, 'name': n, 'sequence': i}
                        for i, n in enumerate(names, 1)])))
        Task.create([dict(values, plan=plan.id, sequence=i,
                    section=sections[values['section']].id)
                for i, values in enumerate(tasks, 1)])
        return plan

    @classmethod
    def import_seed(cls, seed, year, campaign=None, name=None,
            review_rhythm='quarterly'):
        "Import one of the plans shipped in data/ for ``year``."
        filename = SEED_FILES[seed]
        with open(os.path.join(DATA_DIR, filename), 'rb') as fp:
            data = fp.read()
        if not name:
            name = gettext('jubao_publicity.msg_seed_name_%s' % seed,
                year=year)
        return cls.import_file(data, filename, name, year,
            review_rhythm=review_rhythm, campaign=campaign,
            date=dt.date(year, 1, 1))


class ImportPlanStart(ModelView):
    __string__ = "Import Plan"
    __name__ = 'jubao.plan.import.start'
    source = fields.Selection([
            ('implementation', "Implementation plan for complaint and report "
                "work (seed)"),
            ('publicity', "Publicity year plan (seed)"),
            ('file', "File (CSV or XLSX)"),
            ], "Source", required=True)
    file = fields.Binary(
        "File", filename='filename',
        states={
            'invisible': Eval('source') != 'file',
            'required': Eval('source') == 'file',
            })
    filename = fields.Char("File Name", states={'invisible': True})
    name = fields.Char("Plan Name",
        states={'required': Eval('source') == 'file'},
        help="Leave empty to use the seed's title.")
    year = fields.Integer("Year", required=True,
        help="Replaces the year placeholder 20** of the document.")
    review_rhythm = fields.Selection(
        REVIEW_RHYTHMS[1:], "Review Rhythm of Long-term Tasks", required=True)
    campaign = fields.Many2One('jubao.campaign', "Campaign",
        domain=[If(Bool(Eval('year')), ('year', '=', Eval('year', 0)), ())],
        help="Puts the tasks of a publicity year plan into the campaign's "
        "phases (column \"phase\").")

    @staticmethod
    def default_source():
        return 'implementation'

    @staticmethod
    def default_year():
        return today().year

    @staticmethod
    def default_review_rhythm():
        return 'quarterly'


class ImportPlan(Wizard):
    "Import Plan"
    __name__ = 'jubao.plan.import'
    start = StateView('jubao.plan.import.start',
        'jubao_publicity.plan_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('jubao_publicity.act_plan_form')

    def do_import_(self, action):
        pool = Pool()
        Plan = pool.get('jubao.plan')
        start = self.start
        if start.source == 'file':
            plan = Plan.import_file(start.file, start.filename or 'plan.csv',
                start.name, start.year, review_rhythm=start.review_rhythm,
                campaign=start.campaign)
        else:
            plan = Plan.import_seed(start.source, start.year,
                campaign=start.campaign, name=start.name,
                review_rhythm=start.review_rhythm)
        action['res_id'] = [plan.id]
        action['views'].reverse()
        return action, {}
