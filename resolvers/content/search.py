"""Full-text search on the database's own machinery: FTS5 on SQLite, pg_trgm on PostgreSQL.

Both return one page of ranked content ids (title hits first) and the total, in one statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from models.content import ContentItem
from models.sql import client as _client
from models.sql import is_sqlite, numbered
from resolvers.content.text import search_grams

_CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
MAX_QUERY_LENGTH = 100


async def index_item(item: ContentItem) -> None:
    """Keep the SQLite search tables in step with an item's public columns (PostgreSQL indexes the table itself)."""
    if not is_sqlite():
        return
    body = "\n".join(part for part in (item.summary, item.body) if part)
    client = _client()
    await remove_item(item.id)
    await client.execute_query(
        "INSERT INTO content_search (rowid, title, body) VALUES (?, ?, ?)",
        [item.id, item.title, body],
    )
    await client.execute_query(
        "INSERT INTO content_search_gram (rowid, title, body) VALUES (?, ?, ?)",
        [item.id, search_grams(item.title), search_grams(body)],
    )


async def remove_item(item_id: int) -> None:
    if not is_sqlite():
        return
    client = _client()
    await client.execute_query("DELETE FROM content_search WHERE rowid = ?", [item_id])
    await client.execute_query("DELETE FROM content_search_gram WHERE rowid = ?", [item_id])


def normalise_query(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


ORDER_SQL = {
    "NEWEST": "ci.published_at DESC, ci.created_at DESC, ",
    "OLDEST": "ci.published_at, ci.created_at, ",
    "TITLE": "ci.title, ",
    "POPULAR": "ci.learner_count DESC, ",
}


async def ranked_ids(
    query: str,
    where: Sequence[str],
    params: Sequence[Any],
    *,
    offset: int,
    limit: int,
    order: str | None = None,
) -> tuple[list[int], int]:
    """One page of ids of content matching `query` and the `where` clauses (on alias ci), best first, and the total."""
    query = normalise_query(query)
    if not query:
        return [], 0
    if is_sqlite():
        sql, args = _sqlite_sql(query, where, params)
    else:
        sql, args = _postgres_sql(query, where, params)
    if order:  # an explicit order comes before relevance
        sql = sql.replace("ORDER BY ", "ORDER BY " + ORDER_SQL[order], 1)
    sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    _, rows = await _client().execute_query(sql, args)
    total = int(rows[0]["total"]) if rows else 0
    if not rows and offset:
        total = await _count_only(query, where, params)
    return [int(r["id"]) for r in rows], total


async def _count_only(query: str, where: Sequence[str], params: Sequence[Any]) -> int:
    sql, args = _sqlite_sql(query, where, params) if is_sqlite() else _postgres_sql(query, where, params)
    _, rows = await _client().execute_query(f"SELECT COUNT(*) AS n FROM ({sql}) AS matches", args)  # noqa: S608 the inner query is built here from fixed fragments
    return int(rows[0]["n"])


def _sqlite_sql(query: str, where: Sequence[str], params: Sequence[Any]) -> tuple[str, list[Any]]:
    # Trigrams need three characters; shorter queries use the bigram table (whole-token or prefix match).
    if len(query) >= 3:
        table, match = "content_search", _phrase(query)
        in_title, needle = f"instr(lower({table}.title), lower(?)) > 0", query
    else:
        table = "content_search_gram"
        grams = query.casefold()
        if _CJK_ONLY.match(grams):
            match, needle = _phrase(grams), f" {grams} "
        else:
            match, needle = (
                _phrase(search_grams(grams)) + "*",
                f" {search_grams(grams)}",
            )
        in_title = f"instr(' ' || {table}.title || ' ', ?) > 0"
    # bm25() only works in a plain query on the FTS table, so rank there and filter outside.
    ranked = (
        f"SELECT rowid AS rid, bm25({table}, 10.0, 1.0) AS score, ({in_title}) AS in_title "  # noqa: S608 table name and fragments are constants; the query is a parameter
        f"FROM {table} WHERE {table} MATCH ?"
    )
    sql = (
        f"SELECT ci.id AS id, COUNT(*) OVER () AS total FROM ({ranked}) AS m JOIN content_item ci ON ci.id = m.rid "  # noqa: S608 where-clauses are fixed fragments with placeholders
        f"WHERE {' AND '.join(where) or '1 = 1'} "
        "ORDER BY m.in_title DESC, m.score, ci.id DESC"
    )
    return sql, [needle, match, *params]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _postgres_sql(query: str, where: Sequence[str], params: Sequence[Any]) -> tuple[str, list[Any]]:
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conditions = [
        "(ci.title ILIKE ? OR (coalesce(ci.summary, '') || ' ' || coalesce(ci.body, '')) ILIKE ?)",
        *where,
    ]
    sql = (
        "SELECT ci.id AS id, COUNT(*) OVER () AS total FROM content_item ci "  # noqa: S608 conditions are fixed fragments with placeholders
        f"WHERE {' AND '.join(conditions)} "
        "ORDER BY (ci.title ILIKE ?) DESC, similarity(ci.title, ?) DESC, ci.id DESC"
    )
    return numbered(sql), [pattern, pattern, *params, pattern, query]
