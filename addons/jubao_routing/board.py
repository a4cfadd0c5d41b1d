# This file is part of jubao.  The kanban boards of reports by state,
# hand-offs and supervisions (the engine is jubao_intake/board.py).
from trytond.modules.jubao_intake.board import Board, Filter, Move, register

CASE_BOARD = register(Board(
        name='case',
        model='jubao.case',
        columns=('draft', 'registered', 'accepted', 'not_accepted',
            'handling', 'transferred', 'concluded'),
        moves=(
            Move('draft', 'registered', 'register'),
            Move('registered', 'accepted', 'accept'),
            Move('registered', 'not_accepted', 'not_accept'),
            # Routing needs the destination and the method: the Route
            # wizard, opened on the record in sao.
            Move('accepted', 'handling', 'route', wizard=True),
            Move('accepted', 'transferred', 'route', wizard=True),
            Move('handling', 'concluded', 'conclude'),
            Move('concluded', 'handling', 'reopen'),
            ),
        title='rec_name',
        summary='summary',
        leader='handler.rec_name',
        unit='handling_office.rec_name',
        filters=(
            Filter('leader', 'many2one', ('handler',), relation='res.user'),
            Filter('unit', 'many2one', ('handling_office',),
                relation='jubao.office'),
            Filter('year', 'year', ('received_date',)),
            ),
        order=(('received_date', 'DESC'), ('id', 'DESC')),
        ))

ASSIGNMENT_BOARD = register(Board(
        name='assignment',
        model='jubao.case.assignment',
        columns=('draft', 'sent', 'accepted', 'cancelled'),
        moves=(
            Move('draft', 'sent', 'send'),
            Move('sent', 'accepted', 'accept'),
            Move('draft', 'cancelled', 'cancel'),
            Move('sent', 'cancelled', 'cancel'),
            ),
        title='case.rec_name',
        summary='rec_name',
        leader='handler.rec_name',
        unit='to_office.rec_name',
        filters=(
            Filter('leader', 'many2one', ('handler',), relation='res.user'),
            Filter('unit', 'many2one', ('to_office',),
                relation='jubao.office'),
            Filter('year', 'year', ('case.received_date',)),
            ),
        order=(('due_date', 'ASC NULLS LAST'), ('id', 'DESC')),
        ))

SUPERVISION_BOARD = register(Board(
        name='supervision',
        model='jubao.supervision',
        columns=('draft', 'open', 'closed', 'cancelled'),
        moves=(
            Move('draft', 'open', 'open'),
            Move('open', 'closed', 'close'),
            Move('draft', 'cancelled', 'cancel'),
            Move('open', 'cancelled', 'cancel'),
            ),
        title='rec_name',
        summary='reason',
        leader='opened_by.rec_name',
        unit='responsible_office.rec_name',
        filters=(
            Filter('leader', 'many2one', ('opened_by',), relation='res.user'),
            Filter('unit', 'many2one', ('responsible_office',),
                relation='jubao.office'),
            Filter('year', 'year', ('date',)),
            ),
        order=(('deadline', 'ASC'), ('id', 'DESC')),
        ))
