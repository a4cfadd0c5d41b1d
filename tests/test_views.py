"""Views that sao can draw: PYSON reaches the client encoded.

sao reads a view's PYSON attributes (``visual`` of a list, ``states``…) as
JSON, which the server writes only for what ``view_attributes()`` sets.  A
raw expression in the XML made sao throw a SyntaxError and draw no rows (the
task, liaison-report and rectification lists of street committees).
"""
import glob
import json
import os
import re
import unittest

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Attributes that sao decodes as PYSON
PYSON_ATTRIBUTES = {'visual', 'states', 'domain', 'context', 'digits',
    'add_remove'}
SAO_JS = os.path.join(os.environ.get('TRYTOND_WEB__ROOT', ''),
    'dist', 'tryton-sao.js')


def sao_widgets(parser):
    "The widget names sao's ``parser`` (Tree, Form) can draw."
    with open(SAO_JS, encoding='utf-8') as js:
        source = js.read()
    block = re.search(r'Sao\.View\.%sXMLViewParser\.WIDGETS = \{(.*?)\};'
        % parser, source, re.S).group(1)
    return set(re.findall(r"'([a-z0-9_]+)'\s*:", block))


def view_widgets(view):
    "(view type, field, widget) of a built view and of its embedded views."
    root = etree.fromstring(view['arch'])
    for element in root.iter('field'):
        field = view['fields'].get(element.get('name'))
        if field is None:
            continue
        yield root.tag, element.get('name'), element.get(
            'widget', field['type'])
    for field in view['fields'].values():
        for embedded in (field.get('views') or {}).values():
            yield from view_widgets(embedded)


def raw_pyson():
    "(view file, tag, attribute) of PYSON written raw in a view."
    for path in sorted(glob.glob(
                os.path.join(ROOT, 'addons', '*', 'view', '*.xml'))):
        for element in etree.parse(path).getroot().iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in PYSON_ATTRIBUTES & set(element.attrib):
                yield os.path.relpath(path, ROOT), element.tag, attribute


class RawPYSONTestCase(unittest.TestCase):

    def test_no_raw_pyson_in_views(self):
        self.assertEqual(list(raw_pyson()), [])


class ListVisualTestCase(_DBTestCase):
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    @with_transaction()
    def test_list_visual_encoded(self):
        "The lists that colour their rows send the rule as JSON"
        pool = Pool()
        for name in ['jubao.plan.task', 'jubao.campaign.report',
                'jubao.campaign.visit.item']:
            with self.subTest(model=name):
                view = pool.get(name).fields_view_get(view_type='tree')
                root = etree.fromstring(view['arch'])
                visual = json.loads(root.get('visual'))
                self.assertEqual(visual['__class__'], 'If')

    @with_transaction()
    def test_every_view_builds(self):
        "Every list and form view of every jubao model builds with its fields"
        pool = Pool()
        for name, Model in pool.iterobject():
            if not name.startswith('jubao.') or not hasattr(
                    Model, 'fields_view_get'):
                continue
            for view_type in ['tree', 'form']:
                with self.subTest(model=name, view=view_type):
                    view = Model.fields_view_get(view_type=view_type)
                    root = etree.fromstring(view['arch'])
                    names = {e.get('name') for e in root.iter('field')}
                    self.assertLessEqual(names - {None}, set(view['fields']))

    @unittest.skipUnless(os.path.isfile(SAO_JS), "sao not installed")
    @with_transaction()
    def test_widgets_known_to_sao(self):
        "Every field of every jubao view has a widget sao can draw"
        pool = Pool()
        View = pool.get('ir.ui.view')
        known = {'tree': sao_widgets('Tree'), 'form': sao_widgets('Form')}
        unknown = set()
        for view in View.search([('module', 'like', 'jubao_%'),
                    ('type', 'in', ['tree', 'form', None])]):
            base = view
            while base.inherit:
                base = base.inherit
            if not base.model or base.type not in known:
                continue
            built = pool.get(base.model).fields_view_get(view_id=base.id)
            for view_type, name, widget in view_widgets(built):
                if view_type in known and widget not in known[view_type]:
                    unknown.add((base.model, view_type, name, widget))
        self.assertEqual(sorted(unknown), [])

    @with_transaction()
    def test_years_without_digit_grouping(self):
        "Integer year fields are drawn as 2026, not 2,026"
        pool = Pool()
        View = pool.get('ir.ui.view')
        grouped = []
        for view in View.search([('module', 'like', 'jubao_%')]):
            if not view.model:
                continue
            Model = pool.get(view.model)
            for element in etree.fromstring(view.arch).iter('field'):
                field = Model._fields.get(element.get('name'))
                # A year, not a count of last year's reports
                if (field is not None and field._type == 'integer'
                        and element.get('name') == 'year'
                        and element.get('grouping') != '0'):
                    grouped.append((view.module, view.name, field.name))
        self.assertEqual(grouped, [])
