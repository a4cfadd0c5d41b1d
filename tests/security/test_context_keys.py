"""Context keys: what a client sends in its context must switch nothing off.

Tryton drops from every RPC context the keys starting with ``_`` (but
``_datetime``) and keeps all others, so a key the server reads is either
private or harmless whoever sets it.  This test reads every context key the
modules read and fails on a public one that is not reviewed below, so a new
switch (skip a check, post nothing, act for someone) is made private or
reviewed before it ships.  Subscripts (``context['key']``) are not read:
the report templates' own dicts are called ``context`` too; a subscript of
the transaction's context is preceded by its ``in`` test, which is read.
"""
import os
import re
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
ADDONS = os.path.join(ROOT, 'addons')

# Reviewed public keys and why a client may set them
REVIEWED = {
    'user': "Tryton's chat author; Channel.post (jubao_intake/timeline.py) "
        "posts a user's call under that user whatever the context says",
    'timezone': "display of dates and times only",
    'resource': "the default of an attachment's identity mark; the mark "
        "itself is checked on save",
    'active_model': "which record a wizard's defaults come from; the record "
        "is read under the user's rules",
    'language': "the language of messages and reports",
    'ir.attachment.data': "Tryton's size format of the binary field: the "
        "read returns sizes, never content, so it is not an identity read",
    'active_id': "with active_model, as above",
    }

# context.get('key'…), over a line break too, and 'key' in …context
_READ = re.compile(
    r"""context\s*\.\s*get\(\s*['"]([^'"]+)['"]"""
    r"""|['"]([^'"]+)['"]\s+(?:not\s+)?in\s+(?:[\w().]+\.)?context\b""")


def context_keys():
    "{key: [file:line, …]} of the context keys read by the modules' code."
    found = {}
    for folder, _, files in os.walk(ADDONS):
        if os.sep + 'tests' in folder:
            continue
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as file:
                text = file.read()
            for match in _READ.finditer(text):
                key = match.group(1) or match.group(2)
                line = text.count('\n', 0, match.start()) + 1
                found.setdefault(key, []).append(
                    '%s:%s' % (os.path.relpath(path, ROOT), line))
    return found


class ContextKeysTestCase(unittest.TestCase):
    "Every public context key the server reads is reviewed"

    def test_public_keys_reviewed(self):
        keys = context_keys()
        # the scan sees both forms
        self.assertIn('_jubao_timeline_skip', keys)
        self.assertIn('user', keys)
        public = {k: places for k, places in keys.items()
            if not k.startswith('_') and k not in REVIEWED}
        self.assertEqual(public, {}, msg="a client can set these context "
            "keys: make them private (a leading _) or review them here")
