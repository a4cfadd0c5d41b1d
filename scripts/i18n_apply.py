"""Apply the project's zh_CN translations over sao and trytond core modules.

Upstream zh_CN is incomplete (English and raw placeholders on screen), so
the project ships completed entries in i18n/ and setup merges them in:

- i18n/sao/zh_CN.po over sao's locale/zh_CN.po, then rewrites
  locale/zh_CN.json, the file the browser loads (Sao.i18n);
- i18n/trytond/<module>/zh_CN.po over trytond's <module>/locale/zh_CN.po,
  which module activation/update loads into ir.translation.

Merged entries lose their fuzzy flag (trytond ignores fuzzy entries).
Files are only rewritten when their content changes, so re-runs are cheap.

    .venv/bin/python scripts/i18n_apply.py [sao package directory]
"""
import json
import os
import sys

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, 'i18n')
SAO_VERSION = '8.0.11'


def sao_dir():
    return os.path.join(ROOT, '.cache', 'sao', SAO_VERSION, 'package')


def merge(source, target):
    "Copy every translated entry of source into target; return target."
    po = polib.pofile(target)
    index = {(e.msgctxt, e.msgid): e for e in po}
    for entry in polib.pofile(source):
        if not (entry.msgstr or entry.msgstr_plural):
            continue
        found = index.get((entry.msgctxt, entry.msgid))
        if found is None:
            continue  # string no longer in this upstream version
        if found.msgid_plural:
            found.msgstr_plural = dict(entry.msgstr_plural)
        else:
            found.msgstr = entry.msgstr
        if 'fuzzy' in found.flags:
            found.flags.remove('fuzzy')
    return po


def write(path, text):
    "Write only on change, so setup re-runs leave mtimes alone."
    if os.path.exists(path):
        with open(path, encoding='utf-8') as fp:
            if fp.read() == text:
                return False
    with open(path, 'w', encoding='utf-8') as fp:
        fp.write(text)
    return True


def sao_json(po):
    """The structure grunt-po2json gives sao: {msgid: [null, msgstr]}, or
    {msgid: [msgid_plural, msgstr[0], ...]} for plural forms."""
    data = {'': {'content-type': 'text/plain; charset=utf-8'}}
    for entry in po:
        if entry.obsolete:
            continue
        key = entry.msgid
        if entry.msgctxt:
            key = entry.msgctxt + '\x04' + key
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[i]
                for i in sorted(entry.msgstr_plural)]
            if any(forms):
                data[key] = [entry.msgid_plural] + forms
        elif entry.msgstr:
            data[key] = [None, entry.msgstr]
    return json.dumps(data, ensure_ascii=False, separators=(',', ':'))


def apply_sao(package):
    locale = os.path.join(package, 'locale')
    po = merge(os.path.join(I18N, 'sao', 'zh_CN.po'),
        os.path.join(locale, 'zh_CN.po'))
    changed = write(os.path.join(locale, 'zh_CN.po'), str(po))
    changed |= write(os.path.join(locale, 'zh_CN.json'), sao_json(po))
    return changed


def apply_trytond():
    import trytond
    base = os.path.dirname(trytond.__file__)
    changed = []
    folder = os.path.join(I18N, 'trytond')
    for module in sorted(os.listdir(folder)):
        source = os.path.join(folder, module, 'zh_CN.po')
        target = os.path.join(base, module, 'locale', 'zh_CN.po')
        if not os.path.exists(target):
            target = os.path.join(base, 'modules', module, 'locale',
                'zh_CN.po')
        if write(target, str(merge(source, target))):
            changed.append(module)
    return changed


def main(argv):
    package = argv[1] if len(argv) > 1 else sao_dir()
    sao = apply_sao(package) if os.path.isdir(package) else False
    modules = apply_trytond()
    print('i18n: sao %s, trytond %s' % (
            'updated' if sao else 'unchanged',
            ', '.join(modules) or 'unchanged'))


if __name__ == '__main__':
    main(sys.argv)
