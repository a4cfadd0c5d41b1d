"""Board views (the reports dashboard) really filter.

sao 8.0 builds a board panel's screen without the action's domain, so a
panel shows every record unless the action also carries the filter as its
search value.  This checks every board view of every module statically.
The kanban boards are pages of their own (tests/test_kanban.py): no board
view is a kanban of list-form panels any more.
"""
import glob
import os
import re
import unittest

from lxml import etree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def board_actions():
    "(module, xml id) of every action shown in a board view."
    for path in glob.glob(os.path.join(ROOT, 'addons', '*', 'view', '*.xml')):
        root = etree.parse(path).getroot()
        if root.tag != 'board':
            continue
        for action in root.iter('action'):
            module, xml_id = action.get('name').split('.', 1)
            yield os.path.basename(path), module, xml_id


def act_window_fields(module, xml_id):
    for path in glob.glob(os.path.join(ROOT, 'addons', module, '*.xml')):
        root = etree.parse(path).getroot()
        for record in root.iter('record'):
            if (record.get('id') == xml_id
                    and record.get('model') == 'ir.action.act_window'):
                return {f.get('name'): f.get('eval') or f.text
                    for f in record.iter('field')}
    return None


class BoardTestCase(unittest.TestCase):

    def test_boards_exist(self):
        views = {view for view, _, _ in board_actions()}
        self.assertIn('dashboard_board.xml', views)

    def test_no_list_form_kanban(self):
        "The old kanban panels (list-form cards in a board) are gone"
        for view, module, xml_id in board_actions():
            with self.subTest(view=view, action=xml_id):
                self.assertNotRegex(xml_id, r'_board_')
        for path in glob.glob(os.path.join(
                    ROOT, 'addons', '*', 'view', '*_card.xml')):
            self.fail(f"{path} is left from the old boards")

    def test_kanban_menus_open_pages(self):
        "The board menu entries are URL actions of the kanban pages"
        expected = {
            ('jubao_publicity', 'act_task_kanban'): 'task',
            ('jubao_routing', 'act_case_kanban'): 'case',
            ('jubao_routing', 'act_assignment_kanban'): 'assignment',
            ('jubao_routing', 'act_supervision_kanban'): 'supervision',
            }
        for (module, xml_id), name in expected.items():
            with self.subTest(action=xml_id):
                url = None
                for path in glob.glob(
                        os.path.join(ROOT, 'addons', module, '*.xml')):
                    for record in etree.parse(path).getroot().iter('record'):
                        if (record.get('id') == xml_id
                                and record.get('model') == 'ir.action.url'):
                            url = record.find("field[@name='url']").text
                self.assertEqual(url, f'/{{database}}/jubao/board/{name}')

    def test_panels_filter_by_search_value(self):
        for view, module, xml_id in board_actions():
            with self.subTest(view=view, action=xml_id):
                self.assertNotRegex(xml_id, r'^\d')
                fields = act_window_fields(module, xml_id)
                self.assertIsNotNone(fields, f"{module}.{xml_id} not found")
                if fields.get('domain'):
                    self.assertEqual(
                        re.sub(r'\s+', '', fields.get('search_value') or ''),
                        re.sub(r'\s+', '', fields['domain']))
