"""The library internals Beacon reaches into are still there, shaped as Beacon uses them.

pyproject.toml bounds strawberry-graphql, graphql-core and tortoise-orm to the releases these
checks pass on. When a bound is raised, this module says exactly which private part moved,
instead of a request failing somewhere in the middle of the suite (or in production).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema
from starlette.requests import Request
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from tortoise.queryset import QuerySet, ValuesListQuery

from models.content import ContentItem
from schema import build_schema
from schema.execution import LeanExecutionContext
from server import BeaconGraphQL, TextFrames
from settings import Settings

# The parameters of each strawberry view hook that BeaconGraphQL overrides (server.py), as
# strawberry's own view declares them; Beacon's overrides are called the same way.
STRAWBERRY_HOOKS = {
    "encode_json": ["self", "data"],
    "decode_json": ["self", "data"],
    "get_context": ["self", "request", "response"],
    "execute_single": ["self", "request", "request_adapter", "sub_response", "context", "root_value", "request_data"],
    "render_graphql_ide": ["self", "request"],
    "should_render_graphql_ide": ["self", "request"],
    "parse_http_body": ["self", "request"],
    "run": ["self", "request", "context", "root_value"],
    "process_result": ["self", "request", "result"],
    "on_ws_connect": ["self", "context"],
}


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_every_strawberry_hook_beacon_overrides_is_one_strawberry_still_calls() -> None:
    overridden = {
        name for name, value in vars(BeaconGraphQL).items() if callable(value) and not name.startswith("_")
    } - {"prepare", "finish_abandoned", "websocket_adapter_class", "graphql_transport_ws_handler_class"}
    # prepare and finish_abandoned are Beacon's own; the WebSocket classes are checked below
    assert overridden == set(STRAWBERRY_HOOKS), "a new override needs its entry here (and a bound in pyproject.toml)"
    for name, expected in STRAWBERRY_HOOKS.items():
        base = getattr(GraphQL, name, None)
        assert base is not None, f"strawberry's GraphQL view no longer has {name}(): server.py overrides it"
        assert _parameters(base) == expected, f"strawberry changed {name}{inspect.signature(base)}"


def test_the_websocket_adapter_and_request_adapter_keep_the_attributes_beacon_reads() -> None:
    # TextFrames.send_json uses self.view and self.ws; parse_http_body reads request_adapter._request.
    assert issubclass(TextFrames, ASGIWebSocketAdapter) and BeaconGraphQL.websocket_adapter_class is TextFrames
    assert _parameters(ASGIWebSocketAdapter.__init__) == ["self", "view", "request", "response"]
    adapter = TextFrames(view="the view", request="the socket", response="the socket")  # type: ignore[arg-type]  # strings stand in for the view and sockets: only their identity is checked
    assert (adapter.view, adapter.ws) == ("the view", "the socket")
    request = Request({"type": "http", "method": "POST", "headers": [], "query_string": b""})
    assert BeaconGraphQL.request_adapter_class(request)._request is request
    # QuietHangUps overrides the graphql-transport-ws handler's handle_task_exception.
    handler = BeaconGraphQL.graphql_transport_ws_handler_class
    assert getattr(GraphQL, "graphql_transport_ws_handler_class", None) is not None
    base = next(c for c in handler.__mro__[1:] if "handle_task_exception" in vars(c))
    assert base.__module__.startswith("strawberry."), base
    assert _parameters(vars(base)["handle_task_exception"]) == ["self", "error"]
    # BeaconTransportWS also overrides these, and reads operations, connection_acknowledged and
    # websocket (the socket caps: handle_connection_init lets TooManySockets through from on_ws_connect).
    for name, expected in {
        "handle_connection_init": ["self", "message"],
        "handle_subscribe": ["self", "message"],
        "shutdown": ["self"],
    }.items():
        owner = next(c for c in handler.__mro__[1:] if name in vars(c))
        assert owner.__module__.startswith("strawberry."), (name, owner)
        assert _parameters(vars(owner)[name]) == expected, name
    init = next(vars(c)["handle_connection_init"] for c in handler.__mro__[1:] if "handle_connection_init" in vars(c))
    source = inspect.getsource(init)
    assert "except ConnectionRejectionError" in source and "on_ws_connect" in source


def test_a_strawberry_schema_still_holds_its_graphql_core_schema_as_schema(tmp_path: Path) -> None:
    # server.py, schema/__init__.py and schema/limits.py read Schema._schema.
    schema = build_schema(Settings(database_url="sqlite://:memory:", data_dir=tmp_path, secret_key="k" * 40))
    assert isinstance(schema._schema, GraphQLSchema)


def test_graphql_core_still_executes_each_field_through_execute_field() -> None:
    # schema/execution.py overrides it for plain leaves and falls back to it for everything else.
    owner = next(c for c in LeanExecutionContext.__mro__[1:] if "execute_field" in vars(c))
    assert owner.__module__.startswith("graphql."), owner
    assert _parameters(vars(owner)["execute_field"]) == [
        "self",
        "parent_type",
        "source",
        "field_details_list",
        "path",
        "position_context",
    ]


@pytest.mark.parametrize("name", ["_choose_db_if_not_chosen", "_make_query"])
def test_tortoise_querysets_still_build_their_statement_in_two_steps(name: str) -> None:
    # models/sql.py detached_rows runs these, then reads query.query.get_parameterized_sql().
    assert callable(getattr(ValuesListQuery, name, None)), f"tortoise's ValuesListQuery lost {name}()"
    assert callable(getattr(QuerySet, "values_list", None))


async def test_tortoise_model_meta_still_maps_fields_to_columns(db: str) -> None:
    # models/sql.py reads these to name columns and convert values.
    meta = ContentItem._meta
    assert meta.db_table == "content_item" and meta.db_pk_column == "id"
    assert meta.fields_db_projection["cover_image_id"] == "cover_image_id"
    assert meta.fields_map["title"].to_db_value("x", None) == "x"
    query = ContentItem.filter(id=1).values_list("id")
    query._choose_db_if_not_chosen()
    query._make_query()
    statement, params = query.query.get_parameterized_sql()
    assert "content_item" in statement and list(params) == [1]


def test_tortoise_asyncpg_client_keeps_what_models_postgres_overrides_and_reads() -> None:
    # models/postgres.py subclasses the asyncpg client: it overrides acquire_connection,
    # _in_transaction and _close, reads _pool and _pool_init_lock, and a transaction's
    # _parent, _connection and _finalized; its transaction context builds on TransactionContextPooled.
    from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
    from tortoise.backends.base.client import PoolConnectionWrapper, TransactionContextPooled

    for name in ("acquire_connection", "_in_transaction", "_close"):
        assert callable(getattr(AsyncpgDBClient, name, None)), f"tortoise's AsyncpgDBClient lost {name}()"
    client_source = inspect.getsource(AsyncpgDBClient)
    for attribute in ("self._pool", "_pool_init_lock"):
        assert attribute in client_source, f"tortoise's AsyncpgDBClient no longer has {attribute}"
    wrapper_source = inspect.getsource(TransactionWrapper)
    for attribute in ("self._parent", "self._connection", "self._finalized"):
        assert attribute in wrapper_source, f"tortoise's TransactionWrapper no longer sets {attribute}"
    assert PoolConnectionWrapper is not None
    assert callable(getattr(TransactionContextPooled, "ensure_connection", None))
    assert "self.connection_name" in inspect.getsource(TransactionContextPooled)


def test_httpcore_still_has_the_auto_backend_the_webhook_network_wraps() -> None:
    # resolvers/integrations/network.py delegates to httpcore._backends.auto.AutoBackend.
    from httpcore import AsyncNetworkBackend
    from httpcore._backends.auto import AutoBackend

    assert issubclass(AutoBackend, AsyncNetworkBackend)
    for name in ("connect_tcp", "connect_unix_socket", "sleep"):
        assert callable(getattr(AutoBackend, name, None)), f"httpcore's AutoBackend lost {name}()"
