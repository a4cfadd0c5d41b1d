# This file is part of jubao.  The kanban board engine: one definition per
# board (model, state columns, the button that moves a card between two
# columns, card fields, filters), a static page served by trytond's own
# WSGI app and one JavaScript file (board/static/board.js) that draws any
# board.
#
# The page carries no data.  Its script speaks JSON-RPC to
# ``/<database>/rpc/`` with the user's existing sao session (the
# ``tryton_session`` cookie trytond sets for the path ``/<database>``), so
# every read and every move is an ordinary RPC call: record rules, field
# access, recusal and confidentiality apply exactly as in sao, and a move
# calls the same button method as sao's button.
import dataclasses
import datetime as dt
import html
import json
import os
from urllib.parse import quote

from werkzeug.exceptions import NotFound

from trytond.pool import Pool, PoolMeta
from trytond.protocols.wrappers import Response, with_pool
from trytond.transaction import Transaction
from trytond.wsgi import app

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
STATIC_DIR = os.path.join(HERE, 'board', 'static')
# Installed by scripts/setup.sh from npm (keep both versions in step).
SORTABLEJS_VERSION = '1.15.6'
SORTABLEJS = os.environ.get('JUBAO_SORTABLEJS') or os.path.join(
    ROOT, '.cache', 'sortablejs', SORTABLEJS_VERSION, 'package',
    'Sortable.min.js')
STATIC = {
    'board.js': ('text/javascript', os.path.join(STATIC_DIR, 'board.js')),
    'board.css': ('text/css', os.path.join(STATIC_DIR, 'board.css')),
    'sortable.js': ('text/javascript', SORTABLEJS),
    }
# The placeholder of an ``ir.action.url`` that is replaced by the name of
# the current database when the client fetches the action.
DATABASE_PLACEHOLDER = '{database}'


@dataclasses.dataclass(frozen=True)
class Move:
    """Dropping a card of ``source`` into ``target`` calls ``button``.

    ``wizard``: the button opens a wizard that needs input; the board does
    not call it but opens the record in sao, where the user runs it."""
    source: str
    target: str
    button: str
    wizard: bool = False


@dataclasses.dataclass(frozen=True)
class Filter:
    """A filter of the board.

    ``kind`` 'many2one': a choice among the records of ``relation``, the
    domain is ``(field, '=', id)`` OR-ed over ``fields``; 'year': the
    ``fields[0]`` (a date, or an integer year when ``integer``) falls in
    the year chosen."""
    name: str
    kind: str
    fields: tuple
    relation: str = None
    integer: bool = False


@dataclasses.dataclass(frozen=True)
class Board:
    name: str
    model: str
    columns: tuple
    moves: tuple
    title: str
    summary: str = None
    leader: str = None
    unit: str = None
    filters: tuple = ()
    state_field: str = 'state'
    deadline: str = 'next_due'
    days_left: str = 'working_days_left'
    due_status: str = 'due_status'
    order: tuple = (('id', 'DESC'),)
    limit: int = 200

    def move(self, source, target):
        return next((m for m in self.moves
                if m.source == source and m.target == target), None)

    def domain(self, state, values=None):
        """The domain of the column ``state`` with the filter ``values``
        ({filter name: record id or year}); board.js builds the same."""
        domain = [(self.state_field, '=', state)]
        for filter_ in self.filters:
            value = (values or {}).get(filter_.name)
            if not value:
                continue
            if filter_.kind == 'year':
                field, = filter_.fields
                if filter_.integer:
                    domain.append((field, '=', value))
                else:
                    domain.append((field, '>=', dt.date(value, 1, 1)))
                    domain.append((field, '<=', dt.date(value, 12, 31)))
            elif len(filter_.fields) == 1:
                domain.append((filter_.fields[0], '=', value))
            else:
                domain.append(['OR'] + [(f, '=', value)
                        for f in filter_.fields])
        return domain

    def card_fields(self):
        "The field names a card reads (dotted for relations)."
        names = [self.state_field, self.title]
        for name in [self.summary, self.leader, self.unit]:
            if name:
                names.append(name)
        names += [self.deadline, self.days_left, self.due_status]
        return names

    def as_json(self):
        return {
            'name': self.name,
            'model': self.model,
            'state_field': self.state_field,
            'columns': list(self.columns),
            'moves': [dataclasses.asdict(m) for m in self.moves],
            'title': self.title,
            'summary': self.summary,
            'leader': self.leader,
            'unit': self.unit,
            'deadline': self.deadline,
            'days_left': self.days_left,
            'due_status': self.due_status,
            'fields': self.card_fields(),
            'filters': [dict(dataclasses.asdict(f), fields=list(f.fields))
                for f in self.filters],
            'order': [list(o) for o in self.order],
            'limit': self.limit,
            }


BOARDS = {}


def register(board):
    "Register ``board`` (modules call it when imported)."
    BOARDS[board.name] = board
    return board


def url(name):
    "The ``ir.action.url`` URL of the board ``name``."
    return f'/{DATABASE_PLACEHOLDER}/jubao/board/{name}'


class Action(metaclass=PoolMeta):
    __name__ = 'ir.action'

    @classmethod
    def get_action_values(cls, type_, action_ids, columns=None):
        values = super().get_action_values(type_, action_ids, columns=columns)
        if type_ == 'ir.action.url':
            database = quote(Transaction().database.name, safe='')
            for value in values:
                if DATABASE_PLACEHOLDER in (value.get('url') or ''):
                    value['url'] = value['url'].replace(
                        DATABASE_PLACEHOLDER, database)
        return values


def _headers(response):
    headers = response.headers
    headers['Content-Security-Policy'] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self'; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'")
    headers['Referrer-Policy'] = 'no-referrer'
    headers['X-Content-Type-Options'] = 'nosniff'
    headers['X-Frame-Options'] = 'DENY'
    return response


SHELL = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="static/board.css">
<script type="application/json" id="board-definition">{definition}</script>
<script src="static/sortable.js" defer></script>
<script src="static/board.js" defer></script>
</head>
<body data-database="{database}">
<header class="board-header">
<h1 id="board-title">{title}</h1>
<form id="board-filters" class="board-filters"></form>
<span id="board-status" class="board-status" role="status"></span>
</header>
<div id="board-message" class="board-message" role="alert" hidden></div>
<main id="board" class="board"><p class="board-loading">正在加载……</p></main>
<noscript><p class="board-message">看板需要启用浏览器的 JavaScript。</p></noscript>
</body>
</html>
"""


@app.route('/<database_name>/jubao/board/<name>', methods={'GET'})
@with_pool
def board_page(request, pool, name):
    board = BOARDS.get(name)
    try:
        Model = pool.get(board.model) if board else None
    except KeyError:
        Model = None
    if Model is None:
        raise NotFound()
    # The title in the database's language (no user yet: the page's
    # script checks the session)
    with Transaction().start(pool.database_name, 0, readonly=True):
        title = Model.__names__()['model'] + '看板'
    definition = json.dumps(board.as_json(), ensure_ascii=False)
    # Inside <script> only "</" could end the element early.
    definition = definition.replace('</', '<\\/')
    body = SHELL.format(definition=definition,
        title=html.escape(title),
        database=html.escape(pool.database_name, quote=True))
    response = Response(body, content_type='text/html; charset=utf-8')
    response.headers['Cache-Control'] = 'no-store'
    return _headers(response)


@app.route('/<database_name>/jubao/board/static/<filename>', methods={'GET'})
def board_static(request, database_name, filename):
    if filename not in STATIC:
        raise NotFound()
    content_type, path = STATIC[filename]
    try:
        with open(path, 'rb') as file:
            data = file.read()
    except FileNotFoundError:
        raise NotFound()
    response = Response(data, content_type=f'{content_type}; charset=utf-8')
    response.headers['Cache-Control'] = 'public, max-age=3600'
    return _headers(response)


def check_definitions(pool):
    """Yield (board, message) for every move of a registered board whose
    model lacks the button or the transition (used by the tests)."""
    for board in BOARDS.values():
        try:
            Model = pool.get(board.model)
        except KeyError:
            continue
        field = Model._fields.get(board.state_field)
        states = {s for s, _ in field.selection} if field else set()
        for column in board.columns:
            if column not in states:
                yield board, f'column {column} is not a state'
        for move in board.moves:
            if move.button not in Model._buttons:
                yield board, f'{move.button} is not a button'
            if (move.source, move.target) not in Model._transitions:
                yield board, f'{move.source}->{move.target} not a transition'
            if not move.wizard and move.target not in transition_targets(
                    Model, move.button):
                yield board, f'{move.button} does not move to {move.target}'


def transition_targets(Model, method):
    """The states the ``Workflow.transition`` decorators on ``method`` (or
    on the class methods it calls) move a record to."""
    targets = set()
    func = getattr(Model, method, None)
    seen = set()
    todo = [func]
    while todo:
        func = todo.pop()
        func = getattr(func, '__func__', func)
        if func is None or id(func) in seen:
            continue
        seen.add(id(func))
        closure = getattr(func, '__closure__', None) or ()
        names = getattr(getattr(func, '__code__', None), 'co_names', ())
        freevars = getattr(getattr(func, '__code__', None), 'co_freevars', ())
        for var, cell in zip(freevars, closure):
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if var == 'state' and isinstance(value, str):
                targets.add(value)
            elif callable(value):
                todo.append(value)
        if getattr(func, '__wrapped__', None):
            todo.append(func.__wrapped__)
        for name in names:
            if name.startswith('_') and not name.startswith('__'):
                attr = getattr(Model, name, None)
                if callable(attr):
                    todo.append(attr)
    return targets
