"""Configuration for Tortoise's own CLI when generating migrations:

TORTOISE_ORM=migrations.tortoise_conf.TORTOISE_ORM .venv/bin/tortoise makemigrations
"""

from models import tortoise_config

TORTOISE_ORM = tortoise_config("sqlite://:memory:")
