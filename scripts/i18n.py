"""Refresh a module's locale/zh_CN.po.

Exports the module's translatable strings from a throwaway SQLite database,
keeps every translation already in the .po file, fills new entries from the
shared glossary (scripts/zh_glossary.py), and lists what is still missing.

    .venv/bin/python scripts/i18n.py jubao_intake [more modules]
"""
import os
import subprocess
import sys
import tempfile

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
from zh_glossary import GLOSSARY  # noqa: E402


def export(module, path):
    "Let trytond-admin write the module's .po with every current string."
    tmp = tempfile.mkdtemp(prefix='jubao-i18n-')
    env = dict(os.environ, TRYTOND_DATABASE__URI='sqlite://',
        TRYTOND_DATABASE__PATH=tmp, TRYTONPASSFILE=os.path.join(tmp, 'pw'),
        TRYTOND_PASSWORD__LENGTH='0')  # throwaway database: admin/admin
    with open(os.path.join(tmp, 'pw'), 'w') as fp:
        fp.write('admin')
    open(os.path.join(tmp, 'i18n.sqlite'), 'w').close()
    admin = os.path.join(ROOT, '.venv', 'bin', 'trytond-admin')
    subprocess.run([admin, '-d', 'i18n', '--email', 'a@example.com',
            '-u', module, '--activate-dependencies', '-l', 'zh_CN',
            '--export-translations'],
        env=env, check=True, capture_output=True)
    return polib.pofile(path)


def refresh(module):
    path = os.path.join(ROOT, 'addons', module, 'locale', 'zh_CN.po')
    known = {}
    if os.path.exists(path):
        for entry in polib.pofile(path):
            if entry.msgstr:
                known[(entry.msgctxt, entry.msgid)] = entry.msgstr
    po = export(module, path)
    missing = []
    for entry in po:
        entry.msgstr = (known.get((entry.msgctxt, entry.msgid))
            or GLOSSARY.get((entry.msgctxt, entry.msgid))
            or GLOSSARY.get(entry.msgid) or '')
        entry.flags = [f for f in entry.flags if f != 'fuzzy']
        if not entry.msgstr:
            missing.append(entry)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    po.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
    po.save(path)
    for entry in missing:
        print(f'{module}: untranslated {entry.msgctxt!r} {entry.msgid!r}')
    return not missing


if __name__ == '__main__':
    ok = all([refresh(m) for m in sys.argv[1:]])
    sys.exit(0 if ok else 1)
