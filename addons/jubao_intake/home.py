"""The home page: what waits for the user and their office.

A queue is a named list of records (an action and a domain) with its count
for the user who looks, counted through the normal search, so record rules
decide what is counted exactly as they decide what the list shows.  Each
module adds its queues as data (home.xml); a user sees the queues of the
lists they may open, and the page opens after login (res.user actions).
"""
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.rpc import RPC
from trytond.transaction import Transaction, check_access


def _decode(domain):
    "A PYSON domain of a queue or action, for the current user."
    transaction = Transaction()
    return PYSONDecoder({
            'context': transaction.context,
            '_user': transaction.user,
            }).decode(domain or '[]')


class HomeQueue(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Home Queue"
    __name__ = 'jubao.home.queue'
    name = fields.Char("Name", required=True, translate=True)
    action = fields.Many2One('ir.action.act_window', "List", required=True,
        ondelete='CASCADE')
    domain = fields.Char("Domain",
        help="A PYSON domain added to the list's own.")
    count = fields.Function(fields.Integer("Count"), 'get_count')
    model = fields.Function(fields.Char("Model"), 'get_model')
    visible = fields.Function(fields.Boolean("Visible"), 'get_visible',
        searcher='search_visible')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'open_list': {},
                })
        # Opening a list changes nothing: readable by whoever sees the
        # queue (ModelView.button would ask for write access)
        cls.__rpc__['open_list'] = RPC(readonly=True, instantiate=0)

    def get_model(self, name):
        return self.action.res_model

    def full_domain(self):
        return _decode(self.action.domain) + [_decode(self.domain)]

    @classmethod
    def get_count(cls, queues, name):
        pool = Pool()
        result = {}
        # Counted as the user would see the list: record rules applied
        # (getters run without access checks otherwise)
        with check_access():
            for queue in queues:
                try:
                    result[queue.id] = pool.get(queue.model).search_count(
                        queue.full_domain())
                except AccessError:
                    result[queue.id] = None
        return result

    @classmethod
    def _allowed(cls, queues):
        """The queues whose list the user reaches from their menu (menu
        groups and model access, as sao's menu shows them)."""
        Menu = Pool().get('ir.ui.menu')
        action_ids = {q.action.action.id for q in queues}
        with check_access():
            menus = Menu.search(
                [('action_keywords.action', 'in', list(action_ids))])
        reachable = {k.action.id for m in menus for k in m.action_keywords}
        return [q for q in queues if q.action.action.id in reachable]

    @classmethod
    def get_visible(cls, queues, name):
        allowed = set(cls._allowed(queues))
        return {q.id: q in allowed for q in queues}

    @classmethod
    def search_visible(cls, name, clause):
        _, operator, value = clause[:3]
        queues = cls._allowed(cls.search([]))
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in',
                [q.id for q in queues])]

    @classmethod
    def open_list(cls, queues):
        "Open the list behind the queue, filtered as counted."
        pool = Pool()
        Action = pool.get('ir.action')
        if len(queues) != 1:
            return  # sao opens one queue at a time
        queue, = queues
        action, = Action.get_action_values('ir.action.act_window',
            [queue.action.id])
        action['name'] = queue.name
        action['pyson_domain'] = PYSONEncoder().encode(queue.full_domain())
        # The queue's own filter, not the list's tabs
        action['domains'] = []
        return action


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def default_actions(cls):
        "New users start on the home page."
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActWindow = pool.get('ir.action.act_window')
        try:
            home = ActWindow(ModelData.get_id('jubao_intake', 'act_home'))
        except KeyError:
            return []  # while the module is being activated
        return [home.action.id]
