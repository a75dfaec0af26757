"""Names vulture cannot see being used: framework entry points (`make lint` runs vulture with this file).

Each group says who uses the names. Add a name here only when something outside Python's own
call graph uses it; code nobody uses is deleted instead.
"""

# ruff: noqa: B018, F821 - vulture's allow-list format is bare names and attribute accesses

# Tortoise model columns and relations: read and written through the ORM's keyword filters and SQL.
members, api_keys, key_hash, accepted_at, token_hash, expires_at, revoked_at, withdrawn_at, expert_user, author, media_id
requested_by, requested_by_id, uploaded_by, uploaded_by_id, audience_key, cover_image, learner_count
created_by, created_by_id, editor_id, completed_at, first_viewed_at, display_position, draw_bank, first_seen
locked_until, created_by_api_key_id  # models/integrations.py: the outbox lease and who made an endpoint
_.audience_key, _.completed_at

# Enum members: stored in the database and served as GraphQL enum values.
SCHOOL, COMMUNITY, REHAB_CENTER, AGENCY, PRIMARY_SCHOOL, MIDDLE_SCHOOL, HIGH_SCHOOL, COLLEGE, ADULT, IN_RECOVERY
DOCUMENT, AUDIOVISUAL, COURSEWARE, ILLUSTRATED, HANDBOOK, RECOVERY_STORY, METHOD, PUBLIC_SERVICE, EASY, MEDIUM, HARD
NEWEST, OLDEST, TITLE, POPULAR, GIFT, MOODLE_XML, SUBTITLES, DESCRIPTIONS
FORBIDDEN, UNAUTHENTICATED, CONFLICT, RATE_LIMITED, TOO_LARGE, UNSUPPORTED_FORMAT, SERVICE_UNAVAILABLE

# GraphQL fields declared as strawberry type attributes: strawberry reads them to build the schema.
is_expert, is_viewer, actor_display_name, served_locale, is_fallback, deleted_ids, next_sync_token
retry_after_seconds  # schema/errors.py UserError.retryAfterSeconds
imported_count, deleted_id, delivery, attempted_at, webhook_id, ok, has_next_page, has_previous_page, start_cursor, end_cursor
ended_sessions, temporary_password  # schema/credentials.py

# Hooks the frameworks call: strawberry's view and schema extensions, HTMLParser, uvicorn's factory.
_.send_json, _.decode_json, _.get_context, _.render_graphql_ide, _.on_ws_connect  # server.py
_.process_errors, _.on_operation, _.on_execute  # schema/__init__.py, schema/errors.py, limits, caching
_.on_parse, _.on_validate, _.pre_execution_errors  # schema/limits.py DocumentGate: strawberry's parse and validate steps
_.enter_string_value  # schema/limits.py: graphql-core's visitor calls it for each string literal
_.remaining_complexity_budget  # schema/limits.py: graphql-core's overlap rule reads its meter from it
_.handle_starttag, _.handle_endtag, _.handle_data  # quizlib/text.py (html.parser)
asgi_app  # `uvicorn --factory server:asgi_app`
_.connect_unix_socket  # resolvers/integrations/network.py: httpcore's network backend interface
websocket_adapter_class, graphql_transport_ws_handler_class  # strawberry's view builds its WebSocket parts from them
_.acquire_connection, _._in_transaction, client_class  # models/postgres.py: the hooks Tortoise's client calls
poster_png, comic_strip_png, tone_wav, courseware_pdf  # media/generate.py, picked by name for demo media

# Settings a deployment sets that no code reads yet.
secret_key  # settings.py: required in production, kept for signing work to come

# Called only from tests.
_.subscribers  # EventBus.subscribers: tests wait for a subscription with it
_.shortcut_hits  # caching/http.py: tests count answers from the cache-hit shortcut
use_parameters  # resolvers/passwords.py: tests hash with argon2's cheapest profile
paginate_list  # schema/relay.py: paging over an in-memory list, pinned by tests/test_relay.py

# Encryption at rest: read by filters (sealed_key__isnull) and by the sealing migration.
sealed_key  # models/content.py: MediaAsset's wrapped data key
is_sealed  # resolvers/vault.py: migrations/consultations/0004_sealed_data.py skips values already sealed

# Retention (resolvers/retention.py): the policy's fields are read by kind name (Plan.cutoff), purged_at by filters.
closed_consultations, closed_attachments, expired_tokens, expired_api_keys, expired_preview_tokens, throttle_events, erased_accounts, data_exports  # retention.Policy
purged_at  # models/consultations.py: Consultation, filtered on (purged_at=None)
erases_after  # schema/privacy.py: AccountDeletionPayload, read by strawberry
requested_at, download_url  # schema/privacy.py: DataExport, ExportMyDataPayload, read by strawberry
preview_token  # schema/content/previews.py: the payloads' field, read by strawberry
_.writable  # resolvers/exports.py: _Sink, asked by zipfile's io machinery

# Second factor (resolvers/second_factor.py): columns read through filters and updates; GraphQL fields.
totp_last_step  # models/accounts.py: the last accepted TOTP step (replay guard), written by conditional UPDATEs
code_hash  # models/accounts.py: RecoveryCode, matched in filters
used_at  # models/accounts.py: RecoveryCode, spent by a conditional UPDATE
subject_user_id  # models/accounts.py: AccountAudit, read by auditors in the database
enrolment_token  # schema/accounts.py: AuthPayload.enrolmentToken
SECOND_FACTOR_REQUIRED  # schema/errors.py: raised as resolvers.errors.SecondFactorRequired's code
SESSION_ENDED, REFRESH_TOKEN_REUSED  # schema/errors.py: raised as resolvers.errors.SessionEnded's and RefreshTokenReused's codes
refresh_hash, used_refresh_tokens  # models/accounts.py: columns and a reverse relation Tortoise reads and writes by name
