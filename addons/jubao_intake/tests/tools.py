"Helpers shared by the jubao tests: users per role and minimal reports."
import datetime as dt
from contextlib import contextmanager

from trytond.pool import Pool
from trytond.transaction import Transaction

VALID_ID = '11010519491231002X'


def ref(xml_id, module='jubao_intake'):
    return Pool().get('ir.model.data').get_id(module, xml_id)


def create_user(login, group, office):
    "A user of ``group`` (XML id) working for ``office`` (XML id)."
    pool = Pool()
    User = pool.get('res.user')
    user, = User.create([{
                'login': login,
                'name': login,
                'groups': [('add', [ref(group)])],
                'jubao_offices': [('add', [ref(office)])],
                }])
    return user


def create_case(**values):
    "A draft report on a district cadre; ``values`` override the defaults."
    Case = Pool().get('jubao.case')
    defaults = {
        'channel': 'letter',
        'received_date': dt.date(2026, 3, 2),
        'summary': '反映区住建局副局长张伟收受礼金问题',
        'content': '张伟在老旧小区改造工程中收受施工单位负责人礼金五万元。',
        'subjects': [('create', [{
                        'name': '张伟',
                        'unit': '区住房和城乡建设局',
                        'position': '副局长',
                        'authority': 'district',
                        }])],
        }
    defaults.update(values)
    case, = Case.create([defaults])
    return case


@contextmanager
def as_user(user):
    "Act as ``user`` with access rights and record rules, as over RPC."
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


def office(xml_id):
    "The office shipped as ``jubao_intake.<xml_id>``."
    return Pool().get('jubao.office').from_xml_id(xml_id)


def activate_scenario(*modules):
    """Activate ``modules`` for a proteus scenario and return its config.

    The database is the one the module tests use (zh_CN, from the same
    cache), so a scenario costs no activation of its own; messages are in
    Chinese, as users see them.
    """
    from proteus import config as proteus_config
    from trytond.tests.test_tryton import activate_module
    activate_module(list(modules), lang='zh_CN')
    return proteus_config.set_trytond()


def check_deadlines(test):
    """Check every deadline declared in the pool (see deadline.py) on the
    records of the calling test's fixture and return the statuses found.

    The due field is a Date field, the open domain searches, the reminder
    method and text exist and fit the running records, and for every status
    the records that read it are those that searching by it finds.
    """
    from trytond.modules.jubao_intake.deadline import (
        DUE_STATUSES, deadline_models)
    ModelData = Pool().get('ir.model.data')
    found = set()
    for Model in deadline_models():
        for deadline in Model.deadlines():
            with test.subTest(model=Model.__name__, deadline=deadline.name):
                test.assertEqual(Model._fields[deadline.due]._type, 'date')
                running = Model.search(deadline.running())
                if not deadline.responsible:
                    continue
                ModelData.get_id(*deadline.message.split('.'))
                for record in running:
                    office, users = getattr(record, deadline.responsible)()
                    test.assertIn(getattr(office, '__name__', None),
                        {None, 'jubao.office'})
                    test.assertTrue(all(int(u) > 0 for u in users))
                    test.assertIsInstance(
                        record.deadline_label(
                            deadline, getattr(record, deadline.due)), str)
        records = set(Model.search([]))
        for status, _ in DUE_STATUSES:
            with test.subTest(model=Model.__name__, status=status):
                read = {r for r in records if r.due_status == status}
                test.assertEqual(
                    set(Model.search([('due_status', '=', status)])), read)
                test.assertEqual(
                    set(Model.search([('due_status', '!=', status)])),
                    records - read)
                if read:
                    found.add(status)
    return found
