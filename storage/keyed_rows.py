"""Writing one row by its primary key: update it, or insert it when there is none.

The same two statements on SQLite and PostgreSQL, built once per table: a page's record and
its kept bytes are written on every fetch, and loading them as ORM objects to change them
cost several times the write itself.
"""

from __future__ import annotations

import functools

from sqlalchemy import Connection, Insert, Table, Update, bindparam, insert, update

KEY_PARAMETER = "row_key"
"""The key's parameter name: no column is called so, so it never clashes with a value."""


def write_row(connection: Connection, table: Table, key: str, values: dict, *, new: bool = False) -> None:
    """Make the row of ``table`` whose primary key is ``key`` hold ``values`` (``new``: the
    caller knows there is no such row yet, so no UPDATE is tried first)."""
    if not new and connection.execute(_update_by_key(table), {KEY_PARAMETER: key, **values}).rowcount:
        return
    primary_key = next(iter(table.primary_key.columns)).name
    connection.execute(_insert_into(table), {primary_key: key, **values})


@functools.cache
def _insert_into(table: Table) -> Insert:
    """Its columns come from each call's parameters, as the update's SET clause does."""
    return insert(table)


@functools.cache
def _update_by_key(table: Table) -> Update:
    """Its SET clause comes from each call's parameters (SQLAlchemy caches each shape)."""
    primary_key = next(iter(table.primary_key.columns))
    return update(table).where(primary_key == bindparam(KEY_PARAMETER))
