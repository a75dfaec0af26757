"""Faster reads: persisted queries, the public response cache and its invalidation (docs/caching.md)."""
