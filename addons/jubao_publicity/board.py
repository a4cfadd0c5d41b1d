# This file is part of jubao.  The kanban board of plan tasks (the engine
# is jubao_intake/board.py).
from trytond.modules.jubao_intake.board import Board, Filter, Move, register

TASK_BOARD = register(Board(
        name='task',
        model='jubao.plan.task',
        columns=('not_started', 'in_progress', 'awaiting_approval', 'done'),
        moves=(
            Move('not_started', 'in_progress', 'start'),
            Move('in_progress', 'awaiting_approval', 'request_approval'),
            Move('awaiting_approval', 'done', 'approve'),
            Move('awaiting_approval', 'in_progress', 'send_back'),
            Move('done', 'in_progress', 'reopen'),
            ),
        title='rec_name',
        summary='content',
        leader='leader_names',
        unit='office_names',
        filters=(
            Filter('leader', 'many2one',
                ('responsible_leader', 'assisting_leader'),
                relation='res.user'),
            Filter('unit', 'many2one', ('offices',), relation='jubao.office'),
            Filter('year', 'year', ('plan.year',), integer=True),
            ),
        # the most urgent first: the card shows the due date
        order=(('due_date', 'ASC NULLS LAST'), ('id', 'ASC')),
        ))
