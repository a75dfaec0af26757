"""Tortoise migrations, one package per domain app (generated; committed)."""
