"""Every jubao model with a workflow state protects its workflow fields.

The models are taken from the pool, so a model added later with a stored
``state`` fails here until it declares its workflow fields (see
``addons/jubao_intake/workflow.py``).
"""
from trytond.model import Workflow
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
