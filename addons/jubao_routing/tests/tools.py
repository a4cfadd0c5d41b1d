"Helpers shared by the tests of routing and of the modules built on it."
from contextlib import contextmanager

from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.tests.tools import create_case, office

__all__ = ['office', 'make_case', 'route', 'rolled_back']


def make_case(received=None, real_name=False, authority='district',
        head=False, scope='in_scope', street=None, sector=None,
        summary="某局长违规收受礼金", accept=True):
    "A registered (and by default accepted) report on one cadre."
    pool = Pool()
    Case = pool.get('jubao.case')
    values = {
        'received_date': received or pool.get('ir.date').today(),
        'summary': summary,
        'kind': 'accusation',
        'scope': scope,
        'real_name': real_name,
        'street': street.id if street else None,
        'subjects': [('create', [{
                        'name': '张某某',
                        'unit': '区某局',
                        'authority': authority,
                        'is_commission_head': head,
                        'sector': sector,
                        }])],
        }
    if scope in {'out_of_scope', 'mixed'}:
        values['competent_body'] = office('office_court').id
    if real_name:
        values['reporters'] = [('create', [{
                        'name': '李某', 'phone': '13800138000'}])]
    case = create_case(**values)
    Case.register([case])
    if accept:
        Case.accept([case])
    return Case(case.id)


def route(case, method=None, to_office=None, **values):
    "Create and send the hand-off (the proposal unless overridden)."
    Assignment = Pool().get('jubao.case.assignment')
    proposed_method, proposed_office, rule = case.propose_routing()
    assignment = Assignment.create_for(case,
        method or proposed_method, to_office or proposed_office,
        proposed_method=proposed_method, proposed_office=proposed_office,
        rule=rule, **values)
    Assignment.send([assignment])
    return Assignment(assignment.id)


@contextmanager
def rolled_back():
    """Undo what a failing call wrote, as the RPC layer does, so that the
    test can check nothing was half-written."""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SAVEPOINT jubao_routing_test')
    try:
        yield
    finally:
        cursor.execute('ROLLBACK TO SAVEPOINT jubao_routing_test')
        transaction.cache.clear()
