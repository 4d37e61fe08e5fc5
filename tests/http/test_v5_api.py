"""The v5 API: `/v5/logs/{id}` and `/v5/logs?file_id=…` on the loopback server, and the client."""

from __future__ import annotations

import json
import random
from pathlib import Path

import httpx
import pytest

from inspector.api.client import HumanloopClient
from inspector.api.server import LogServer
from inspector.settings import DEFAULT_BASE_URL, DEFAULT_V5_BASE_URL, Settings, for_v5
from tests.support import exports_v5
from tests.support.conftest_http import FAST, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env

FLOW_FILE = exports_v5.FLOW["id"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Twelve v5 flow logs and one prompt log, one file each."""
    rng = random.Random(3)
    for n in range(12):
        log = exports_v5.flow_log(rng, n)
        (tmp_path / f"flow{n}.json").write_text(json.dumps(log))
    (tmp_path / "prompt.json").write_text(json.dumps(exports_v5.prompt_log(rng, 99)))
    return tmp_path


def v5_base(server: LogServer) -> str:
    return server.base_url.removesuffix("/v4") + "/v5"


def test_v5_routes_serve_logs_and_one_based_pages(folder: Path) -> None:
    with LogServer(folder) as server:
        one = httpx.get(f"{v5_base(server)}/logs/log_flow0000003", timeout=5)
        first = httpx.get(f"{v5_base(server)}/logs", params={"file_id": FLOW_FILE}, timeout=5)
        second = httpx.get(
            f"{v5_base(server)}/logs", params={"file_id": FLOW_FILE, "page": 2}, timeout=5
        )
        zero = httpx.get(f"{v5_base(server)}/logs", params={"file_id": FLOW_FILE, "page": 0})
        missing = httpx.get(f"{v5_base(server)}/logs", timeout=5)
    assert one.content == (folder / "flow3.json").read_bytes()
    page = first.json()
    assert (page["page"], page["size"], page["total"], len(page["records"])) == (1, 10, 12, 10)
    assert (second.json()["page"], len(second.json()["records"])) == (2, 2)
    assert zero.status_code == 422 and missing.status_code == 422


async def test_client_lists_a_v5_file_and_gets_a_v5_log(folder: Path) -> None:
    with LogServer(folder) as server:
        async with HumanloopClient(settings(v5_base(server)), backoff=FAST) as client:
            page = await client.list_logs(FLOW_FILE, page=1, size=5, file=True)
            doc = await client.get_log("log_flow0000000")
    assert (page.page, page.total, len(page.records)) == (1, 12, 5)
    assert all(record.v5 is not None and record.v5.kind == "flow" for record in page.records)
    assert doc.v5 is not None and len(doc.v5.trace_children or []) == 2


def test_log_ids_and_file_lists_use_the_v5_base_unless_one_is_set() -> None:
    default = Settings()
    assert for_v5(default, "log_123efg").base_url == DEFAULT_V5_BASE_URL
    assert for_v5(default, "data_123").base_url == DEFAULT_BASE_URL
    assert for_v5(default).base_url == DEFAULT_V5_BASE_URL
    chosen = Settings(base_url="https://example.test/v4")
    assert for_v5(chosen, "log_123efg").base_url == "https://example.test/v4"
