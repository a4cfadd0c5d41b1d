"""A real trytond server for the tests that talk to it as a client does
(JSON-RPC, the browser): started on a free port of the loopback address,
stopped by the caller."""
import os
import socket
import subprocess
import sys
import time

VENV_BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def demo_env(directory, name):
    """The environment of a server with the demo's configuration (the
    production trytond.conf refuses the demo's passwords), written to
    ``directory`` as ``.trytond-<name>.conf``."""
    sys.path.insert(0, os.path.join(ROOT, 'scripts'))
    import demo_config
    os.makedirs(directory, exist_ok=True)
    return dict(os.environ,
        TRYTOND_CONFIG=demo_config.write(
            os.path.join(directory, f'.trytond-{name}.conf')),
        TRYTOND_DATABASE__URI=os.environ.get('TRYTOND_DATABASE_URI', ''),
        **demo_config.DEMO_PASSWORD_ENV)


def free_port():
    "A port of 127.0.0.1 that nothing listens on now."
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_trytond(database, env, log=None, timeout=60):
    """Start ``trytond -d database`` with ``env`` and wait until it accepts
    connections; return the process and its port.  ``log`` is a file for
    the server's output (discarded without)."""
    port = free_port()
    output = log if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [os.path.join(VENV_BIN, 'trytond'), '-d', database],
        env=dict(env, TRYTOND_WEB__LISTEN=f'127.0.0.1:{port}'),
        stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), 1).close()
            return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.25)
    stop_trytond(process)
    raise RuntimeError(f"trytond did not start on port {port}")


def stop_trytond(process, timeout=20):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Every module the demo activates; the servers' databases copy the same
# cached database.
ALL_MODULES = ['jubao_reports', 'jubao_intake', 'jubao_routing',
    'jubao_publicity', 'jubao_portal']


def activated_database(name, modules=ALL_MODULES, lang='zh_CN'):
    """Create database ``name`` with ``modules`` activated, copied from the
    test database cache (activating only when the cache has no copy yet).

    Tests that run their own trytond server use it instead of
    ``trytond-admin -u``; the copy has the admin user without a password.
    """
    import psycopg
    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db

    drop_db()
    activate_module(modules, lang=lang)
    backend.Database(DB_NAME).close()
    uri = os.environ['TRYTOND_DATABASE_URI'].rstrip('/') + '/postgres'
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{DB_NAME}"')
    drop_db()
    return name


LOAD_DEMO = """
import sys
sys.path.insert(0, sys.argv[2])
import load_demo
load_demo.main(sys.argv[1])
"""


def demo_server(name, web_root, artifacts):
    """A database of this run with every module and the full demo
    (scripts/load_demo.py), served by trytond with sao from ``web_root``:
    (database, environment, process, port)."""
    database = os.environ['DB_NAME'] + '_' + name
    env = demo_env(artifacts, name)
    activated_database(database)
    subprocess.run([sys.executable, '-c', LOAD_DEMO, database,
            os.path.join(ROOT, 'scripts')],
        env=env, check=True, capture_output=True)
    process, port = start_trytond(
        database, dict(env, TRYTOND_WEB__ROOT=web_root))
    return database, env, process, port
