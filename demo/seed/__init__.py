"""`beacon seed-demo`: load the demo content of every domain, idempotently."""

from __future__ import annotations

from demo.seed import accounts, consultations, content, quizzes
from settings import Settings


async def seed_demo(settings: Settings) -> list[str]:
    """Load every domain's demo content; return lines to print for the operator."""
    lines: list[str] = []
    lines += await accounts.seed(settings)
    lines += await content.seed(settings)
    lines += await quizzes.seed()
    lines += await consultations.seed(settings)
    return lines
