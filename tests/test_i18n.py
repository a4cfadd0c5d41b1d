"""The Chinese that sao and trytond's core modules show is complete.

Upstream zh_CN leaves English ("Preferences...", "Email Archives"), raw
placeholders ("CSV导出：%s") and 真/假 on screen; the project completes it
in i18n/ and setup applies it (scripts/i18n_apply.py).  These tests read
what is applied: sao's locale/zh_CN.json and trytond's module po files.
"""
import json
import os
import re
import unittest

import polib

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAO = os.path.join(ROOT, '.cache', 'sao', '8.0.11', 'package', 'locale')
# Core modules the jubao modules depend on (their tryton.cfg)
CORE_MODULES = ['ir', 'res']
# ASCII words allowed in Chinese text: formats, protocols, names
ALLOWED_WORDS = {'CSV', 'PDF', 'HTML', 'JSON', 'URL', 'XML', 'PYSON',
    'Python', 'REST', 'IP', 'tryton', 'http_host', 'login', 'password',
    'host', 'database', 'Del'}
PLACEHOLDER = re.compile(r'%\d+|%\([a-z_]+\)[a-z]|%[sdir]|\{[a-z_]*\}')
# Strings the issue saw in English on screen
SEEN_IN_ENGLISH = ['Preferences...', 'Help...', 'Email...', 'Restore',
    'Check menu entries to add favorites']
CORE_SEEN_IN_ENGLISH = ['Email Archives', 'Last Modified at',
    'Within groups: %(groups)s']


def english_words(text):
    "ASCII words of 3+ letters outside placeholders and the allowed list."
    text = PLACEHOLDER.sub('', text)
    return [w for w in re.findall(r'[A-Za-z_]{3,}', text)
        if w not in ALLOWED_WORDS]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def core_po(module):
    import trytond
    return polib.pofile(os.path.join(
            os.path.dirname(trytond.__file__), module, 'locale', 'zh_CN.po'))


@unittest.skipUnless(os.path.isdir(SAO), 'sao is not installed')
class SaoTranslationTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(SAO, 'zh_CN.json'), encoding='utf-8') as fp:
            cls.json = json.load(fp)
        cls.pot = [e for e in polib.pofile(
                os.path.join(SAO, 'messages.pot')) if not e.obsolete]

    def translation(self, entry):
        key = entry.msgid
        if entry.msgctxt:
            key = entry.msgctxt + '\x04' + key
        value = self.json.get(key)
        return value[1] if value else ''

    def test_every_string_translated(self):
        "Every string of sao's template has a Chinese translation"
        missing = [e.msgid for e in self.pot if not self.translation(e)]
        self.assertEqual(missing, [])

    def test_no_english_words(self):
        "No translation keeps English words"
        found = {e.msgid: self.translation(e) for e in self.pot
            if english_words(self.translation(e))}
        self.assertEqual(found, {})

    def test_placeholders_preserved(self):
        "Translations keep exactly the placeholders of the original"
        wrong = {e.msgid: self.translation(e) for e in self.pot
            if placeholders(e.msgid) != placeholders(self.translation(e))}
        self.assertEqual(wrong, {})

    def test_no_mnemonics(self):
        "No GTK mnemonic such as (_V) is left"
        found = [v[1] for k, v in self.json.items()
            if k and re.search(r'\(_\w\)', v[1])]
        self.assertEqual(found, [])

    def test_booleans_are_yes_no(self):
        self.assertEqual(self.json['True'][1], '是')
        self.assertEqual(self.json['False'][1], '否')

    def test_strings_seen_in_english(self):
        for msgid in SEEN_IN_ENGLISH:
            with self.subTest(msgid=msgid):
                self.assertRegex(self.json[msgid][1], r'[\u4e00-\u9fff]')


class CoreTranslationTestCase(unittest.TestCase):

    def test_no_untranslated_entry(self):
        "The core modules' applied po have no empty or fuzzy entry"
        for module in CORE_MODULES:
            with self.subTest(module=module):
                po = core_po(module)
                self.assertEqual(
                    [e.msgid for e in po.untranslated_entries()], [])
                self.assertEqual([e.msgid for e in po.fuzzy_entries()], [])

    def test_placeholders_preserved(self):
        for module in CORE_MODULES:
            with self.subTest(module=module):
                wrong = {e.msgid: text for e in core_po(module)
                    for text in [e.msgstr or e.msgstr_plural.get(0, '')]
                    if placeholders(e.msgid) != placeholders(text)}
                self.assertEqual(wrong, {})

    def test_project_files_cover_core(self):
        "The project ships a translation file for every core module"
        for module in CORE_MODULES:
            self.assertTrue(os.path.exists(os.path.join(
                        ROOT, 'i18n', 'trytond', module, 'zh_CN.po')))


class CoreTranslationDatabaseTestCase(_DBTestCase):
    "Activation in zh_CN loads the completed strings"
    module = 'jubao_intake'
    language = 'zh_CN'

    @with_transaction()
    def test_core_strings_translated(self):
        pool = Pool()
        Translation = pool.get('ir.translation')
        for src in CORE_SEEN_IN_ENGLISH:
            with self.subTest(src=src):
                translations = Translation.search([
                        ('lang', '=', 'zh_CN'),
                        ('src', '=', src),
                        ('module', 'in', CORE_MODULES),
                        ])
                self.assertTrue(translations)
                for translation in translations:
                    self.assertRegex(translation.value or '',
                        r'[\u4e00-\u9fff]')
                    self.assertFalse(translation.fuzzy)
