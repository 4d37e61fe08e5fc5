"""Render the README screenshots: one SVG per pane, from the scenes the snapshot tests use.

Run from the repository root: `python screenshots/make_screenshots.py`.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.support.scenes import SCENES, Scene  # noqa: E402


async def render(scene: Scene) -> str:
    """Play a scene headless and return its SVG."""
    app = scene.app()
    async with app.run_test(size=scene.size) as pilot:
        await scene.play(pilot)
        return app.export_screenshot(title=f"inspector · {scene.name}")


def main() -> None:
    """Write `screenshots/<scene>.svg` for every README scene."""
    for scene in SCENES:
        if scene.readme:
            svg = asyncio.run(render(scene))
            (HERE / f"{scene.name}.svg").write_text(svg)
            print(f"screenshots/{scene.name}.svg")


if __name__ == "__main__":
    main()
