"""A throwaway PostgreSQL server for the team-mode tests (DESIGN.md section 16).

``initdb`` from ``/usr/lib/postgresql/*/bin`` into a temporary folder, run as the unprivileged
``postgres`` user when the tests run as root (PostgreSQL refuses root), listening only on a Unix
socket inside that folder (``listen_addresses = ''``: no TCP at all). Stopped and removed at the end.
Debian's own ``main`` cluster is never touched.

Local connections are trusted, except for the one role ``pmodesk_pw`` which must give a password
(so a test can show what wrong credentials look like).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "pmodesk_admin"
PASSWORD_ROLE = "pmodesk_pw"


class Unavailable(Exception):
    """PostgreSQL cannot be started here; the message says why in one line."""


@dataclass
class PgServer:
    folder: Path
    socket_dir: Path
    port: int
    bindir: Path
    run_as: list[str]

    def url(self, portfolio: str | None = None, *, user: str = SUPERUSER, database: str = "pmodesk") -> str:
        query = f"host={quote(str(self.socket_dir), safe='')}&port={self.port}"
        if portfolio is not None:
            query += f"&portfolio={portfolio}"
        return f"postgresql://{user}@/{database}?{query}"

    def conninfo(self, *, user: str = SUPERUSER, database: str = "pmodesk") -> str:
        return f"host={self.socket_dir} port={self.port} user={user} dbname={database}"

    def execute(self, *statements: str, user: str = SUPERUSER, database: str = "pmodesk") -> list:
        """Run statements as ``user`` in autocommit; the rows of the last one (if it returns any)."""
        import psycopg

        with psycopg.connect(self.conninfo(user=user, database=database), autocommit=True) as conn:
            rows: list = []
            for statement in statements:
                cursor = conn.execute(statement)
                rows = cursor.fetchall() if cursor.description else []
            return rows

    def stop(self) -> None:
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                        "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise Unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; Debian package "
                          "'postgresql')")
    return Path(found[-1]).parent


def _free_port() -> int:
    # Only names the socket file (.s.PGSQL.PORT) in our own folder; no TCP listener is opened.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> PgServer:
    bindir = _bindir()
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no unprivileged 'postgres' user to run PostgreSQL as") \
                from None
        run_as = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else None
        if run_as is None:
            raise Unavailable("running as root without runuser to start PostgreSQL as the 'postgres' user")
    else:
        account, run_as = None, []
    folder = Path(tempfile.mkdtemp(prefix="pmodesk-pg-", dir="/tmp"))
    try:
        if account is not None:
            os.chown(folder, account.pw_uid, account.pw_gid)
        data, sockets = folder / "data", folder / "s"
        init = subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                               "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                              capture_output=True, text=True, timeout=120)
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1]}")
        subprocess.run([*run_as, "mkdir", "-m", "0700", str(sockets)], check=True, timeout=30)
        hba = (f"local all {PASSWORD_ROLE} scram-sha-256\n"
               "local all all trust\n")
        subprocess.run([*run_as, "sh", "-c", f"printf '%s' '{hba}' > {data}/pg_hba.conf"], check=True, timeout=30)
        port = _free_port()
        options = (f"-c listen_addresses='' -c unix_socket_directories={sockets} -p {port} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40 "
                   "-c shared_buffers=16MB")
        started = subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
                                  "-l", str(folder / "server.log"), "-w", "-t", "60", "start"],
                                 capture_output=True, text=True, timeout=90)
        server = PgServer(folder, sockets, port, bindir, run_as)
        if started.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace").strip().splitlines()
            raise Unavailable(f"PostgreSQL did not start: {(log or [started.stderr.strip()])[-1]}")
        server.execute("CREATE DATABASE pmodesk", database="postgres")
        server.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD 'right-password'")
        return server
    except Unavailable:
        if run_as is not None:
            subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    except BaseException:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        raise
