"""Prepared statements for the few hot statements written by hand.

Django binds parameters on the client (psycopg's ClientCursor), so PostgreSQL
parses and plans every ORM query anew; that is right for queries whose plan
depends on their values (search, filters). A fixed statement read on every
API request (the claims page's related rows, the key lookup) is planned the
same way each time: with a server-side binding cursor and the connection's
`prepare_threshold` (settings.DATABASES OPTIONS), psycopg prepares it after a
few runs and PostgreSQL skips the parse and plan from then on. On the bench,
PostgreSQL's CPU per claims page fell ~30 % (docs/benchmarks.md, issue 14).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """Django's cursor (health check, error wrapping, query log), binding on the server.

    PostgreSQL only; `%s` placeholders as usual. Elsewhere: Django's own cursor.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            yield cursor
            return
        from django.db.backends.postgresql.base import ServerBindingCursor

        client_side = cursor.cursor
        cursor.cursor = ServerBindingCursor(connection.connection)
        try:
            yield cursor
        finally:
            cursor.cursor.close()
            cursor.cursor = client_side
