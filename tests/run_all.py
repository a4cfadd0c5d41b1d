"""Collect and run every test of the project with one summary line.

Order: plain-function unit tests (tests/unit), each module's own tests
(addons/jubao_*/tests, including proteus scenarios), then cross-module,
security (tests/security/) and browser tests (tests/**/test_*.py), each
test once.  Arguments filter test ids by substring.
"""
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE_ORDER = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
    'jubao_reports']


def _flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def collect(filters=()):
    import trytond.modules
    loader = unittest.TestLoader()
    suites = [loader.discover(
            os.path.join(ROOT, 'tests', 'unit'), top_level_dir=ROOT)]
    modules_dir = os.path.dirname(trytond.modules.__file__)
    site = os.path.dirname(os.path.dirname(modules_dir))
    present = sorted(os.listdir(os.path.join(ROOT, 'addons')),
        key=lambda m: MODULE_ORDER.index(m) if m in MODULE_ORDER else 99)
    # A filter naming modules restricts discovery to them, so that a broken
    # module being written elsewhere does not stop focused runs.
    named = [m for m in present if any(f in m for f in filters)]
    for name in named or present:
        tests_dir = os.path.join(modules_dir, name, 'tests')
        if os.path.isfile(os.path.join(tests_dir, '__init__.py')):
            suites.append(loader.discover(tests_dir, top_level_dir=site))
    # Discovering tests/ recurses into its packages (tests/unit again,
    # tests/security): keep each test once, at its first place.
    suites.append(loader.discover(
            os.path.join(ROOT, 'tests'), pattern='test_*.py',
            top_level_dir=ROOT))
    return unittest.TestSuite(_unique(_flatten(suites)))


def _unique(tests):
    seen = set()
    for test in tests:
        if test.id() not in seen:
            seen.add(test.id())
            yield test


def main(filters):
    sys.path.insert(0, ROOT)
    suite = collect(filters)
    if filters:
        suite = unittest.TestSuite(t for t in _flatten(suite)
            if any(f in t.id() for f in filters))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    # A test with failing subtests is one failed test; a class whose
    # setUpClass failed counts once too.
    failed = len({getattr(t, 'test_case', t).id() for t, _ in (
                result.failures + result.errors
                + [(t, None) for t in result.unexpectedSuccesses])})
    skipped = len({getattr(t, 'test_case', t).id()
            for t, _ in result.skipped})
    passed = max(0, result.testsRun - failed - skipped)
    print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
    return 0 if failed == 0 and result.testsRun else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
