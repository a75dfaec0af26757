"""Screenshots for docs/console.md, taken by the browser tests when asked.

`BEACON_CONSOLE_SCREENSHOTS=docs/console make test` (or the single test files) writes a PNG of each
main page at the moment its test reaches it; without the variable nothing is written.
"""

from __future__ import annotations

import os
from typing import Any


async def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    folder = os.environ.get("BEACON_CONSOLE_SCREENSHOTS")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    await page.wait_for_load_state("networkidle")
    await page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=full_page)
