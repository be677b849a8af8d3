"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, loopback only.

Uses the server binaries of Debian's `postgresql` package (`/usr/lib/postgresql/*/bin`) or
whatever `initdb` is on PATH. PostgreSQL refuses to run as root: as root the server runs as
the `postgres` user the package creates. `skip_reason()` says why a test cannot have one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path | None:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _server_user() -> str | None:
    """The user the server runs as: None for this one, "postgres" when this is root."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return ""  # root without a postgres user: no server
    return "postgres"


def skip_reason() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg (v3) is not installed: pip install -e '.[test]'"
    if _bin_dir() is None:
        return "no PostgreSQL server binaries (Debian: apt install postgresql)"
    if _server_user() == "":
        return "running as root, and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server(database: str = "workbench") -> Iterator[str]:
    """Start a server, make `database`, yield its URL; stop the server and remove its files."""
    bin_dir, user = _bin_dir(), _server_user()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    as_user = ["runuser", "-u", user, "--"] if user else []
    if user:
        shutil.chown(folder, user, user)
    port = _free_port()
    data = folder / "data"

    def run(*command: str) -> None:
        subprocess.run(as_user + list(command), check=True, capture_output=True, timeout=120)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
            "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
            options, "start")  # fmt: skip
        try:
            run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                database)  # fmt: skip
            yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
        finally:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
