"""What the benchmark scripts share: starting Django on a benchmark database, timing a page."""

import os
import statistics
import sys
import time
from pathlib import Path


def setup_django(default_database: str) -> None:
    """Start Django against DATABASE_URL (default: `default_database`), with DEBUG on."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_database}")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def timed(client, url: str, params: dict | None = None, runs: int = 7) -> tuple[float, float, int]:
    """Median and worst time in ms of `runs` GETs after one warm-up, and the queries of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(samples), max(samples), len(queries.captured_queries)


class SqlTimer:
    """A `connection.execute_wrapper`: every statement run inside it with its time in ms."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - start) * 1000, sql))

    @property
    def total(self) -> float:
        """The time of all statements, in ms."""
        return sum(ms for ms, _sql in self.statements)
