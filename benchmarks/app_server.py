"""The production application server of a benchmark: ``deploy/run.sh app``
(gunicorn, N worker processes) on a free port of this machine."""
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_app(database, uri, workers, ready_path='', env=None,
        timeout=180):
    """Start ``deploy/run.sh app`` on ``database``; return (process, port)
    once ``ready_path`` answers 200 (any HTTP answer when it is empty)."""
    port = free_port()
    env = dict(os.environ, **(env or {}),
        PATH=os.path.join(ROOT, '.venv', 'bin') + os.pathsep
        + os.environ.get('PATH', ''),
        JUBAO_DB=database, JUBAO_WORKERS=str(workers),
        JUBAO_LISTEN=f'127.0.0.1:{port}',
        TRYTOND_CONFIG=os.path.join(ROOT, 'trytond.conf'),
        TRYTOND_DATABASE__URI=uri)
    env.pop('TRYTOND_DATABASE_URI', None)
    process = subprocess.Popen([os.path.join(ROOT, 'deploy', 'run.sh'), 'app'],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    url = f'http://127.0.0.1:{port}/{ready_path}'
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped at start")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return process, port
        except urllib.error.HTTPError:
            if not ready_path:
                return process, port
        except OSError:
            pass
        time.sleep(0.5)
    stop_app(process)
    raise RuntimeError("the server did not answer")


def stop_app(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
