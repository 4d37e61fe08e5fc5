"""SVG snapshot tests: each pane and state looks as accepted (`--snapshot-update` to accept)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.scenes import SCENES, Scene


@pytest.mark.parametrize("scene", SCENES, ids=[scene.name for scene in SCENES])
def test_scene(snap_compare: Any, scene: Scene) -> None:
    assert snap_compare(scene.app(), terminal_size=scene.size, run_before=scene.run_before())
