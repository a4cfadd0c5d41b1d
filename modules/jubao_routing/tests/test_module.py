"Module tests of jubao_routing."
from trytond.tests.test_tryton import ModuleTestCase


class JubaoRoutingTestCase(ModuleTestCase):
    "Test jubao_routing module"
    module = 'jubao_routing'


del ModuleTestCase
