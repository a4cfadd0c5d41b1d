"""Password strength rules that Tryton 8 does not have itself.

Tryton checks the length and an optional forbidden-passwords file; jubao
adds the share of distinct characters (``entropy``, as older Tryton did)
and a shipped list of common passwords (``forbidden_passwords.txt``), in
which a password is refused when it equals an entry, ignoring case.
"""
import os

LIST_PATH = os.path.join(os.path.dirname(__file__), 'forbidden_passwords.txt')


def entropy(password):
    "Share of distinct characters: 1 for all different, near 0 for 'aaaa'."
    return len(set(password)) / len(password) if password else 0


def common_passwords(path=LIST_PATH):
    with open(path, encoding='utf-8') as fp:
        return {line.strip().lower() for line in fp
            if line.strip() and not line.startswith('#')}


def is_common(password, path=LIST_PATH):
    return password.strip().lower() in common_passwords(path)
