"""Collect and run every test of the project with one summary line.

Order: plain-function unit tests (tests/unit), each module's own tests
(addons/jubao_*/tests, including proteus scenarios), then cross-module,
security (tests/security/) and browser tests (tests/**/test_*.py), each
test once.  Arguments filter test ids by substring.
"""
import collections
import os
import sys
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE_ORDER = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
    'jubao_reports', 'jubao_portal']


def _flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def collect(filters=()):
    """Return (all tests, the tests of the modules the filters name).

    A filter naming a module restricts discovery to it and selects all of
    its tests, scenarios included (their ids do not name the module)."""
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
    selected = []
    for name in named or present:
        tests_dir = os.path.join(modules_dir, name, 'tests')
        if os.path.isfile(os.path.join(tests_dir, '__init__.py')):
            suite = loader.discover(tests_dir, top_level_dir=site)
            suites.append(suite)
            if name in named:
                selected.extend(_flatten(suite))
    # Discovering tests/ recurses into its packages (tests/unit again,
    # tests/security): keep each test once, at its first place.
    suites.append(loader.discover(
            os.path.join(ROOT, 'tests'), pattern='test_*.py',
            top_level_dir=ROOT))
    return unittest.TestSuite(_unique(_flatten(suites))), selected


def _unique(tests):
    seen = set()
    for test in tests:
        if test.id() not in seen:
            seen.add(test.id())
            yield test


class TimedResult(unittest.TextTestResult):
    "Adds each test's time, setUpClass included, to its class."

    times = collections.Counter()
    test_times = collections.Counter()
    _mark = None

    def startTest(self, test):
        self._mark = self._mark or time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        now = time.monotonic()
        self.times[type(test).__module__ + '.' + type(test).__name__] += (
            now - self._mark)
        self.test_times[test.id()] += now - self._mark
        self._mark = now


def print_slowest(times, test_times, count=12):
    print("slowest test classes (s, setUpClass included):")
    for name, seconds in times.most_common(count):
        print(f"  {seconds:7.1f}  {name}")
    print("slowest tests:")
    for name, seconds in test_times.most_common(count):
        print(f"  {seconds:7.1f}  {name}")


def key_database_cache():
    """Name the cached databases after the content key of the modules.

    With ``DB_CACHE=postgresql://`` trytond keeps each activated database
    as a template database and copies it for every test class (much faster
    than pg_restore); its names only say which modules and language, so
    the content key (``JUBAO_CACHE_KEY``, set by scripts/test.sh) goes into
    the name: a changed module is activated afresh, an unchanged one never.
    """
    key = os.environ.get('JUBAO_CACHE_KEY')
    if not key or not os.environ.get('DB_CACHE', '').startswith(
            'postgresql://'):
        return
    import hashlib

    from trytond.tests import test_tryton

    def cache_file(path, name):
        digest = hashlib.shake_128(name.encode('utf8')).hexdigest(8)
        return f'{path}/jubao-{key}-{digest}'
    test_tryton._db_cache_file = cache_file


def main(filters):
    sys.path.insert(0, ROOT)
    key_database_cache()
    suite, selected = collect(filters)
    if filters:
        selected = {id(t) for t in selected}
        suite = unittest.TestSuite(t for t in _flatten(suite)
            if id(t) in selected or any(f in t.id() for f in filters))
    result = unittest.TextTestRunner(
        verbosity=2, resultclass=TimedResult).run(suite)
    print_slowest(TimedResult.times, TimedResult.test_times)
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
