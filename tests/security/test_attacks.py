"""Every restricted role tries every ORM route against what it must not see.

Roles: discipline office, street committee, stationed agency, analyst
(recused from one report), 组宣部 staff and a recused leader.  Targets:
one record per model hanging off a report the role may not see (the
report, its reporters, reported persons, categories, repeat candidates,
hand-offs, supervisions and their notes, clarifications, recusals, the
access-log rows, notes and attachments on any of them), found by walking
the pool (see common.py).  Routes: read, search, search_count,
search_read, export_data, copy (also onto one's own record), create with
workflow fields, write, write of workflow fields on one's own records,
delete, relation-walking domains and orders, reads through relations.

A route holds when it is refused or when what it returns contains none of
the role's secrets (strings only forbidden records hold) and reveals no
forbidden record.  Each role × model × route is a subtest.
"""
import unittest

from trytond.exceptions import UserError
from trytond.model import fields
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .. import confidentiality_tools as tools
from . import common

IGNORED = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'rec_name'}


class AttackTestCase(_DBTestCase):
    "Generic attacks of the restricted roles on every jubao model"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = common.commit_world(DB_NAME)
        with Transaction().start(DB_NAME, 1):
            cls._plan = common.Plan(cls.world)

    # Helpers -------------------------------------------------------------

    def plan(self):
        return self._plan

    def as_role(self, role):
        transaction = Transaction()
        user = self.world['users'][role]
        return _Both(transaction.set_user(user),
            transaction.set_context(_check_access=True))

    def run_as(self, role, call, writes=True):
        """Run ``call`` as ``role`` in a savepoint: ('refused', error) or
        ('done', value), whatever the call changed undone."""
        with common.savepoint(writes), self.as_role(role):
            try:
                return 'done', call()
            except UserError as error:
                return 'refused', error

    def leaks(self, role, plan, value):
        return tools.found_secrets(value, plan.secrets[role])

    def check_refused(self, role, plan, outcome, what):
        "The route must be refused, or return nothing secret."
        status, value = outcome
        if status == 'refused':
            return
        found = self.leaks(role, plan, value)
        self.fail('%s was not refused%s' % (what,
                ', returned secrets %s' % found if found else
                ', returned %s' % _short(value)))

    def readable(self, role, name):
        with self.as_role(role):
            Model = Pool().get(name)
            return [f for f in tools.readable_fields(Model)
                if f not in IGNORED]

    def subtests(self, plan, roles=None):
        "(role, label, model name, forbidden id) for each sample."
        for role in roles or common.ATTACKERS:
            for label, name, record_id in plan.samples[role]:
                yield role, label, name, record_id

    # Sanity of the plan --------------------------------------------------

    @with_transaction()
    def test_plan_covers_the_world(self):
        "The pool walk finds the models an attacker aims at"
        plan = self.plan()
        labels = {label for label, _, _ in plan.samples['street']}
        for expected in ['jubao.case', 'jubao.case.reporter',
                'jubao.case.subject', 'jubao.case.assignment',
                'jubao.supervision', 'jubao.supervision.note',
                'jubao.clarification', 'jubao.case.recusal',
                'jubao.case.repeat', 'jubao.reporter.access',
                'jubao.case-jubao.problem.category',
                'ir.note on jubao.case', 'ir.note on jubao.case.reporter',
                'ir.attachment on jubao.case.reporter',
                'ir.attachment on jubao.case.assignment']:
            with self.subTest(model=expected):
                self.assertIn(expected, labels)
        for role in common.ATTACKERS:
            with self.subTest(role=role):
                secrets = plan.secrets[role]
                self.assertIn(common.marker(common.TARGETS[role]), secrets)
                self.assertIn(tools.REPORTERS['handled']['name'], secrets)

    # Direct routes -------------------------------------------------------

    @with_transaction()
    def test_direct_routes(self):
        "read, search, search_count, search_read, export_data, delete, write"
        pool = Pool()
        plan = self.plan()
        for role, label, name, record_id in self.subtests(plan):
            Model = pool.get(name)
            names = self.readable(role, name)
            texts = [f for f in tools.stored_text_fields(Model)
                if f in names]
            domain = [('id', '=', record_id)]
            routes = {
                'read': lambda: Model.read([record_id], names),
                'export_data': lambda: Model.export_data(
                    [Model(record_id)], names),
                'delete': lambda: Model.delete([Model(record_id)]),
                }
            if common.is_view(Model):
                del routes['delete']
            elif texts:
                routes['write'] = lambda: Model.write([Model(record_id)],
                    {texts[0]: '伪造'})
            if 'state' in Model._fields and not common.is_view(Model):
                state = common.other_value(Model, 'state',
                    Model(record_id).state, None, {})
                routes['write state'] = lambda: Model.write(
                    [Model(record_id)], {'state': state})
            for route, call in routes.items():
                with self.subTest(role=role, model=label, route=route):
                    self.check_refused(role, plan, self.run_as(role, call),
                        route)
            searches = {
                'search': lambda: Model.search(domain),
                'search all': lambda: [r for r in Model.search([])
                    if r.id == record_id],
                'search_count': lambda: Model.search_count(domain),
                'search_read': lambda: Model.search_read(domain,
                    fields_names=names),
                }
            for route, call in searches.items():
                with self.subTest(role=role, model=label, route=route):
                    status, value = self.run_as(role, call, writes=False)
                    if status == 'done':
                        self.assertFalse(value, msg='%s found %s' % (
                                route, _short(value)))
                        self.assertEqual(self.leaks(role, plan, value), [])

    # Copies --------------------------------------------------------------

    @with_transaction()
    def test_copies(self):
        "copy of a forbidden record, as is and onto one's own record"
        pool = Pool()
        plan = self.plan()
        for role, label, name, record_id in self.subtests(plan):
            Model = pool.get(name)
            if common.is_view(Model):
                continue
            names = self.readable(role, name)
            defaults = {'copy': None}
            own = plan.own_case(role)
            if own and name in {'ir.note', 'ir.attachment'}:
                defaults['copy onto own report'] = {
                    'resource': 'jubao.case,%s' % own}
            elif own:
                for fname in tools.case_fields(Model):
                    if fname in Model._fields and not isinstance(
                            Model._fields[fname], fields.Function):
                        defaults['copy onto own report'] = {fname: own}
                        break

            for route, default in defaults.items():
                def call():
                    copies = Model.copy([Model(record_id)], default=default)
                    return Model.read([c.id for c in copies], names)
                with self.subTest(role=role, model=label, route=route):
                    self.check_refused(role, plan, self.run_as(role, call),
                        route)

    # Forged creations ----------------------------------------------------

    @with_transaction()
    def test_forged_creates(self):
        """create with the workflow fields of a forbidden record (state,
        approvals, dates), pointing at the forbidden report; also sent to
        the role's own office"""
        pool = Pool()
        Case = pool.get('jubao.case')
        plan = self.plan()
        for role, label, name, record_id in self.subtests(plan):
            Model = pool.get(name)
            if common.is_view(Model):
                continue
            values = tools.record_values(Model(record_id))
            variants = {'create forged': values}
            offices = [f for f, k, t in tools.relation_fields(Model)
                if t == 'jubao.office' and k == 'many2one'
                and not isinstance(Model._fields[f], fields.Function)]
            if offices:
                office = self.role_office(role)
                variants['create forged to own office'] = dict(values,
                    **{f: office for f in offices})
            target = plan.target_case(role)
            for route, values in variants.items():
                def call(values=values):
                    records = Model.create([dict(values)])
                    # Did the forged record open the report to the role?
                    opened = Case.search([('id', '=', target)])
                    return records, opened
                with self.subTest(role=role, model=label, route=route):
                    status, value = self.run_as(role, call)
                    if status == 'done':
                        records, opened = value
                        self.fail('%s created %s%s' % (route, records,
                                ' and opened the report to the role'
                                if opened else ''))

    def role_office(self, role):
        User = Pool().get('res.user')
        return User(self.world['users'][role]).jubao_offices[0].id

    # Workflow fields of one's own records --------------------------------

    @with_transaction()
    def test_workflow_fields_of_own_records(self):
        """write of state, approvals, repeat_of, handling_office, due dates
        on a record the role may see: only buttons and wizards set them"""
        pool = Pool()
        plan = self.plan()
        for role in common.ATTACKERS:
            context = {'jubao.case': plan.target_case(role),
                'jubao.office': self.role_office(role),
                'res.user': self.world['users'][role]}
            forbidden = dict((name, record_id)
                for _, name, record_id in plan.samples[role])
            for name in plan.models:
                Model = pool.get(name)
                own = plan.own_record(role, name)
                if own is None or common.is_view(Model):
                    continue
                with self.as_role(role):
                    try:
                        Model.read([own], ['id'])
                    except UserError:
                        continue
                forged = (tools.record_values(Model(forbidden[name]))
                    if name in forbidden else {})
                current = tools.record_values(Model(own))
                for fname in tools.workflow_fields(Model):
                    value = common.other_value(Model, fname,
                        current.get(fname), forged.get(fname), context)
                    if value is None:
                        continue
                    with self.subTest(role=role, model=name,
                            route='write own %s' % fname):
                        status, _ = self.run_as(role,
                            lambda: Model.write([Model(own)],
                                {fname: value}))
                        self.assertEqual(status, 'refused',
                            msg='wrote %s = %r on own record %s' % (
                                fname, value, own))

    # Relation-walking domains and orders ---------------------------------

    def oracle_targets(self, plan, role):
        """(target model, forbidden id, text field, secret value) probed
        through relations."""
        pool = Pool()
        Case = pool.get('jubao.case')
        case = Case(plan.target_case(role))
        result = [('jubao.case', case.id, 'keywords', case.keywords)]
        if case.summary in plan.secrets[role]:
            result.append(('jubao.case', case.id, 'summary', case.summary))
        for reporter in case.reporters[:1]:
            result.append(('jubao.case.reporter', reporter.id, 'name',
                    reporter.name))
        return result

    def searchable_models(self, role):
        pool = Pool()
        result = []
        for name in common.candidate_models():
            status, _ = self.run_as(role,
                lambda: pool.get(name).search([], limit=1), writes=False)
            if status == 'done':
                result.append(name)
        return result

    @with_transaction()
    def test_relation_oracles(self):
        """A domain walking a relation into a forbidden record answers the
        same for its text as for a text found nowhere (search and count)"""
        pool = Pool()
        plan = self.plan()
        through = set(plan.models) | {'ir.note', 'ir.attachment'}
        for role in common.ATTACKERS:
            targets = self.oracle_targets(plan, role)
            target_models = {t for t, _, _, _ in targets}
            for name in self.searchable_models(role):
                Model = pool.get(name)
                checks = [('%s.%s' % (path, fname), ref_model, secret)
                    for path, target, ref_model, _ in common.relation_paths(
                        name, target_models, through)
                    for t_model, _, fname, secret in targets
                    if t_model == target and secret]
                # One search for all paths of the model first; only when
                # it answers differently is each path asked on its own
                # (the same clauses: an attacker gains nothing by
                # combining them)
                if not checks or self.same_answers(role, Model, checks):
                    continue
                for label, ref_model, secret in checks:
                    shown = label if not ref_model else '%s (%s)' % (
                        label, ref_model)
                    with self.subTest(role=role, model=name,
                            route='oracle %s' % shown):
                        self.assertEqual(
                            self.oracle(role, Model, label, ref_model,
                                secret),
                            self.oracle(role, Model, label, ref_model,
                                common.CONTROL))

    @staticmethod
    def oracle_clause(path, ref_model, prefix):
        clause = (path, 'like', prefix + '%')
        return clause + (ref_model,) if ref_model else clause

    def same_answers(self, role, Model, checks):
        "Whether all secrets together answer as all controls together do."
        def answer(prefix_of):
            domain = ['OR'] + [self.oracle_clause(label, ref_model,
                    prefix_of(secret)) for label, ref_model, secret in checks]
            return self.run_as(role,
                lambda: [r.id for r in Model.search(domain)], writes=False)
        control = answer(lambda secret: common.CONTROL)
        return control[0] == 'done' and answer(lambda secret: secret) == (
            control)

    def oracle(self, role, Model, path, ref_model, prefix):
        clause = self.oracle_clause(path, ref_model, prefix)

        def call():
            return ([r.id for r in Model.search([clause])],
                Model.search_count([clause]))
        status, value = self.run_as(role, call, writes=False)
        return value if status == 'done' else 'refused'

    @with_transaction()
    def test_relation_orders(self):
        """Ordering by a field of a forbidden related record gives the same
        order whatever that field holds"""
        pool = Pool()
        plan = self.plan()
        through = set(plan.models)
        for role in common.ATTACKERS:
            targets = self.oracle_targets(plan, role)
            target_models = {t for t, _, _, _ in targets}
            for name in self.searchable_models(role):
                Model = pool.get(name)
                for path, target, _, m2o in common.relation_paths(
                        name, target_models, through, max_hops=2):
                    if not m2o:
                        continue
                    for t_model, t_id, fname, _ in targets:
                        if t_model != target:
                            continue
                        label = '%s.%s' % (path, fname)
                        with self.subTest(role=role, model=name,
                                route='order %s' % label):
                            self.assertEqual(
                                self.ordered(role, Model, label, t_model,
                                    t_id, fname, 'AAAA'),
                                self.ordered(role, Model, label, t_model,
                                    t_id, fname, '\u9fa5\u9fa5'))

    def ordered(self, role, Model, path, t_model, t_id, fname, value):
        "Ids in the order of ``path`` once the forbidden field is ``value``."
        Target = Pool().get(t_model)
        table = Target.__table__()
        with common.savepoint():
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update([getattr(table, fname)], [value],
                    where=table.id == t_id))
            status, value = self.run_as(role, lambda: [r.id
                    for r in Model.search([], order=[(path, 'ASC'),
                            ('id', 'ASC')])], writes=False)
        return value if status == 'done' else 'refused'

    # Reads and exports through relations ---------------------------------

    @with_transaction()
    def test_reads_through_relations(self):
        """Reading or exporting the records a role may see, with the
        related fields of what they point at, shows no secret"""
        pool = Pool()
        plan = self.plan()
        for role in common.ATTACKERS:
            for name in self.searchable_models(role):
                Model = pool.get(name)
                names = self.readable(role, name)
                nested = []
                for fname, kind, target in tools.relation_fields(Model):
                    if fname not in names or kind == 'reference':
                        continue
                    nested.append(fname + '.rec_name')
                    Target = pool.get(target)
                    nested += ['%s.%s' % (fname, f)
                        for f in tools.stored_text_fields(Target)]
                if not nested:
                    continue

                def call():
                    records = Model.search([])
                    ids = [r.id for r in records]
                    found = []
                    for paths in [nested] + [[p] for p in nested]:
                        try:
                            found.append(Model.read(ids, paths))
                            found.append(Model.export_data(records,
                                    [p.replace('.', '/') for p in paths]))
                        except UserError:
                            continue
                        if paths is nested:
                            break   # all at once went through
                    return found
                with self.subTest(role=role, model=name,
                        route='read through relations'):
                    _, value = self.run_as(role, call, writes=False)
                    self.assertEqual(self.leaks(role, plan, value), [])

    # Notes and attachments -----------------------------------------------

    @with_transaction()
    def test_listing_notes_and_attachments(self):
        "Listing notes and attachments works for every role, filtered"
        pool = Pool()
        plan = self.plan()
        for role in common.ATTACKERS:
            for name in ['ir.note', 'ir.attachment']:
                Model = pool.get(name)
                names = self.readable(role, name)
                with self.subTest(role=role, model=name, route='list'):
                    status, value = self.run_as(role, lambda: Model.read(
                            [r.id for r in Model.search([])], names))
                    self.assertEqual(status, 'done', msg=str(value))
                    self.assertEqual(self.leaks(role, plan, value), [])


class _Both:
    "Enter two context managers as one."

    def __init__(self, first, second):
        self.managers = [first, second]

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()
        return self

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)


def _short(value, limit=200):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + '…'


if __name__ == '__main__':
    unittest.main()
