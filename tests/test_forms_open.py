"""Every record a user finds opens in its form, as sao reads it.

sao reads a form's fields and, for each Many2One, the target's record name
(``field.rec_name``); for each One2Many and Many2Many, the rows with the
fields of the embedded list.  A record that points at a record the user
may not read (a report repeating another office's report) raised an access
error and left the form blank and locked.  The check walks the pool: every
``jubao.`` model with a form view, for every role of the confidentiality
fixture, with repeats confirmed across offices.
"""
from lxml import etree

from trytond.model import ModelStorage, ModelView
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from . import confidentiality_tools as tools

SAMPLE = 20  # records opened per model and role
RELATIONS = {'many2one', 'one2one', 'reference'}
ROWS = {'one2many', 'many2many'}


def view_reads(view):
    """(field names to read, {x2many field: embedded list view}) the way
    sao reads a built view."""
    names, embedded = {'rec_name'}, {}
    root = etree.fromstring(view['arch'])
    for element in root.iter('field'):
        name = element.get('name')
        field = view['fields'].get(name)
        if field is None:
            continue
        names.add(name)
        if field['type'] in RELATIONS:
            names.add(name + '.rec_name')
        elif field['type'] in ROWS:
            views = field.get('views') or {}
            if 'tree' in views:
                embedded[name] = (field['relation'], views['tree'])
    return names, embedded


def sao_open(Model, ids, view=None):
    """Read ``ids`` of ``Model`` as sao reads them for ``view`` (a built
    view; the form by default); an error names the field it came from."""
    pool = Pool()
    if view is None:
        view = Model.fields_view_get(view_type='form')
    names, embedded = view_reads(view)
    plain = sorted(n for n in names
        if '.' not in n and n + '.rec_name' not in names)
    rows = Model.read(ids, plain)
    for name in sorted(n[:-len('.rec_name')] for n in names
            if n.endswith('.rec_name')):
        try:
            Model.read(ids, [name, name + '.rec_name'])
        except Exception as error:
            raise AssertionError(f'{name}: {error}') from error
    for name, (relation, view) in embedded.items():
        target_ids = sorted({i for row in rows for i in (row[name] or [])})
        if target_ids:
            try:
                sao_open(pool.get(relation), target_ids, view)
            except Exception as error:
                raise AssertionError(f'{name}: {error}') from error


def form_models():
    for name, Model in Pool().iterobject():
        if (name.startswith('jubao.') and issubclass(Model, ModelView)
                and issubclass(Model, ModelStorage)):
            yield name, Model


class FormsOpenTestCase(_DBTestCase):
    "Records open in sao's form for every role, whatever they point at"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def build(self):
        pool = Pool()
        Repeat = pool.get('jubao.case.repeat')
        tools.set_key_person_threshold(2)
        self.users = tools.create_users()
        self.cases = tools.create_cases(self.users)
        # Repeats confirmed across offices: the street's report repeats
        # the second discipline office's, the untouched one the first's.
        for key, earlier in [('assigned', 'earlier'),
                ('untouched', 'handled')]:
            Repeat.confirm(Repeat.search([
                        ('case', '=', self.cases[key].id),
                        ('candidate', '=', self.cases[earlier].id)]))

    @with_transaction()
    def test_repeat_opens_for_its_office(self):
        "The street opens its report that repeats another office's"
        pool = Pool()
        Case = pool.get('jubao.case')
        self.build()
        assigned = self.cases['assigned']
        earlier = self.cases['earlier']
        set_user, set_context = tools.as_role(self.users['street'].id)
        with set_user, set_context:
            self.assertEqual(Case.search([('id', '=', earlier.id)]), [])
            sao_open(Case, [assigned.id])
            case, = Case.read([assigned.id], ['repeat_of_number'])
            # Masked: not even the original's number
            self.assertEqual(case['repeat_of_number'],
                '其他单位办理的信访举报件（无权查看）')
        clerk_user, clerk_context = tools.as_role(self.users['clerk'].id)
        with clerk_user, clerk_context:
            case, = Case.read([assigned.id], ['repeat_of_number'])
            self.assertEqual(case['repeat_of_number'],
                Case(earlier.id).number)

    @with_transaction()
    def test_every_found_record_opens(self):
        "Each role opens every record it finds, in every jubao model"
        self.build()
        failures = []
        for role, user in self.users.items():
            set_user, set_context = tools.as_role(user.id)
            with set_user, set_context:
                for name, Model in form_models():
                    try:
                        ids = [r.id for r in Model.search([],
                                limit=SAMPLE, order=[('id', 'DESC')])]
                    except AccessError:
                        continue  # the role may not read the model at all
                    if not ids:
                        continue
                    try:
                        sao_open(Model, ids)
                    except Exception as error:
                        failures.append((role, name, type(error).__name__,
                                str(error)[:200]))
        self.assertEqual(failures, [])
