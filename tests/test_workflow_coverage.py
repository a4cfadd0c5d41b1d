"""Every jubao model with a workflow state protects its workflow fields.

The models are taken from the pool, so a model added later with a stored
``state`` fails here until it declares its workflow fields (see
``addons/jubao_intake/workflow.py``).
"""
from trytond.model import ModelSQL, Workflow, fields
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from trytond.modules.jubao_intake.workflow import (
    WorkflowFieldsMixin, workflow_models)


class WorkflowCoverageTestCase(_DBTestCase):
    "Workflow fields are declared on every model with a state"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    @with_transaction()
    def test_state_models_declare_workflow_fields(self):
        pool = Pool()
        models = dict(workflow_models(pool))
        for name in ['jubao.case', 'jubao.case.assignment',
                'jubao.supervision', 'jubao.clarification',
                'jubao.case.repeat', 'jubao.plan.task']:
            self.assertIn(name, models)
        for name, Model in models.items():
            with self.subTest(model=name):
                self.assertTrue(issubclass(Model, WorkflowFieldsMixin),
                    f"{name} has a state but no workflow fields")
                self.assertIn('state', Model._workflow_fields)

    @with_transaction()
    def test_declared_fields_exist(self):
        "A misspelt declaration would silently protect nothing"
        pool = Pool()
        for name, Model in pool.iterobject():
            if not (isinstance(Model, type)
                    and issubclass(Model, WorkflowFieldsMixin)):
                continue
            declared = (Model._workflow_fields | Model._workflow_draft_fields
                | Model._workflow_parents)
            with self.subTest(model=name):
                self.assertLessEqual(declared, set(Model._fields))
                if issubclass(Model, Workflow):
                    self.assertIn(Model._transition_state,
                        Model._workflow_fields)
                for fname in Model._workflow_parents:
                    self.assertEqual(Model._fields[fname]._type, 'many2one')

    @with_transaction()
    def test_user_stamps_are_workflow_fields(self):
        "Who registered, approved or posted is never a value a client gives"
        pool = Pool()
        Access = pool.get('ir.model.access')
        ModelData = pool.get('ir.model.data')
        admins = [ModelData.get_id('jubao_intake', 'group_admin'),
            ModelData.get_id('res', 'group_admin')]
        for name, Model in pool.iterobject():
            if (not name.startswith('jubao.')
                    or not issubclass(Model, ModelSQL)
                    or Model.table_query is not None):
                continue
            stamps = {fname for fname, field in Model._fields.items()
                if isinstance(field, fields.Many2One)
                and not isinstance(field, fields.Function)
                and field.model_name == 'res.user' and field.readonly
                and fname not in {'create_uid', 'write_uid'}}
            if not stamps:
                continue
            # A model only the administrators may create or write
            writers = Access.search([
                    ('model', '=', name),
                    ['OR', ('perm_create', '=', True),
                        ('perm_write', '=', True)],
                    ['OR', ('group', '=', None),
                        ('group', 'not in', admins)],
                    ])
            if not writers:
                continue
            with self.subTest(model=name):
                self.assertTrue(issubclass(Model, WorkflowFieldsMixin))
                self.assertLessEqual(stamps, Model._workflow_fields)
