"""The PostgreSQL database of a benchmark, load test or drill: made if missing.

Shared by bench/run.py and load/ (run.py, drills.py). Trust auth on loopback, as CI has.
"""

import subprocess
from collections.abc import Callable


def psql(sql: str, *, host="127.0.0.1", port="5432", database="postgres") -> str:
    command = ["psql", "-h", host, "-p", str(port), "-U", "postgres", "-d", database]
    command += ["-v", "ON_ERROR_STOP=1", "-qtAc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def ensure_database(
    url: str, *, fresh: bool, must_say: tuple[str, ...], log: Callable[[str], None] = print
) -> None:
    """Create the role and the database of `url` if missing; with `fresh`, drop and make
    it again. Refuses a database whose name does not contain one of `must_say`, so that
    no run ever empties a database of the portal's own."""
    import dj_database_url

    config = dj_database_url.parse(url)
    where = {"host": config["HOST"] or "127.0.0.1", "port": str(config["PORT"] or 5432)}
    role, name = config["USER"], config["NAME"]
    if not any(word in name for word in must_say):
        raise SystemExit(
            f"Refusing to use {name}: the database's name must say {' or '.join(must_say)}"
        )
    psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN CREATEDB; END IF; END $$;",
        **where,
    )
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 (our own setting)
    exists = psql(query, **where) == "1"
    if exists and fresh:
        log(f"Dropping database {name} to fill it again")
        psql(f'DROP DATABASE "{name}" WITH (FORCE)', **where)
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{name}" OWNER {role}', **where)
