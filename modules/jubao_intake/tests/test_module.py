from trytond.tests.test_tryton import ModuleTestCase


class JubaoIntakeTestCase(ModuleTestCase):
    "Test jubao_intake module"
    module = 'jubao_intake'


del ModuleTestCase
