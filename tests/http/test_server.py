"""The loopback log server: the v4 shape, verbatim bytes, paging, search, errors, the key check."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from inspector.api.client import HumanloopClient
from inspector.api.server import LogServer
from inspector.errors import NotFoundError, RejectedError, SourceError
from tests.support.conftest_http import FAST, KEY, log_bytes, settings
from tests.support.conftest_http import isolated_http_env as isolated_http_env


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five logs: four in project pr_a (created a minute apart), one in pr_b, plus oddities."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for n in range(4):
        body = log_bytes(
            f"data_a{n}",
            project_id="pr_a",
            created_at=f"2024-09-18T14:0{n}:00Z",
            output=f"Answer number {n}" + (" about PARIS" if n == 2 else ""),
            messages=[{"role": "user", "content": [{"type": "text", "text": f"question {n}"}]}],
        )
        (logs / f"log{n}.json").write_bytes(body)
    (logs / "other.json").write_bytes(log_bytes("data_b0", project_id="pr_b", output="paris"))
    (logs / "data_broken.json").write_bytes(b'{"id": "data_broken", "messages": [')
    (logs / "notes.txt").write_text("not a log")
    return logs


def get(url: str, **kw: Any) -> httpx.Response:
    return httpx.get(url, timeout=5, **kw)


def test_serves_each_file_verbatim_by_id(folder: Path) -> None:
    with LogServer(folder) as server:
        response = get(f"{server.base_url}/logs/data_a1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == (folder / "log1.json").read_bytes()
    assert b"x_unknown_field" in response.content


def test_broken_file_is_served_by_its_name(folder: Path) -> None:
    with LogServer(folder) as server:
        response = get(f"{server.base_url}/logs/data_broken")
    assert response.content == (folder / "data_broken.json").read_bytes()


def test_binds_loopback_on_a_free_port(folder: Path) -> None:
    with LogServer(folder) as one, LogServer(folder) as two:
        assert one.base_url.startswith("http://127.0.0.1:")
        assert one.base_url.endswith("/v4")
        assert one.base_url != two.base_url
        assert one.log_ids == ["data_a0", "data_a1", "data_a2", "data_a3", "data_b0", "data_broken"]
        port = int(one.base_url.split(":")[2].split("/")[0])
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("127.0.0.1", port))


def test_missing_log_is_a_fastapi_404(folder: Path) -> None:
    with LogServer(folder) as server:
        response = get(f"{server.base_url}/logs/data_nope")
        elsewhere = get(f"{server.base_url}/projects")
    assert response.status_code == 404
    assert response.json() == {"detail": "Log with id data_nope not found"}
    assert elsewhere.status_code == 404
    assert elsewhere.json() == {"detail": "Not Found"}


def test_list_pages_newest_first_zero_based(folder: Path) -> None:
    with LogServer(folder) as server:
        first = get(f"{server.base_url}/logs", params={"project_id": "pr_a", "size": 3})
        second = get(f"{server.base_url}/logs", params={"project_id": "pr_a", "size": 3, "page": 1})
        beyond = get(f"{server.base_url}/logs", params={"project_id": "pr_a", "page": 5})
    page = first.json()
    assert [r["id"] for r in page["records"]] == ["data_a3", "data_a2", "data_a1"]
    assert (page["page"], page["size"], page["total"]) == (0, 3, 4)
    assert [r["id"] for r in second.json()["records"]] == ["data_a0"]
    assert beyond.json() == {"records": [], "page": 5, "size": 50, "total": 4}
    # Each record is the file's bytes, unknown fields and formatting kept.
    assert (folder / "log3.json").read_bytes().strip() in first.content


def test_list_filters_by_project_and_searches_text(folder: Path) -> None:
    with LogServer(folder) as server:
        found = get(f"{server.base_url}/logs", params={"project_id": "pr_a", "search": "paris"})
        by_message = get(
            f"{server.base_url}/logs", params={"project_id": "pr_a", "search": "QUESTION 1"}
        )
        other = get(f"{server.base_url}/logs", params={"project_id": "pr_b"})
    assert [r["id"] for r in found.json()["records"]] == ["data_a2"]
    assert found.json()["total"] == 1
    assert [r["id"] for r in by_message.json()["records"]] == ["data_a1"]
    assert [r["id"] for r in other.json()["records"]] == ["data_b0"]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        (
            {},
            [
                {
                    "loc": ["query", "project_id"],
                    "msg": "field required",
                    "type": "value_error.missing",
                }
            ],
        ),
        (
            {"project_id": "pr_a", "page": "x"},
            [
                {
                    "loc": ["query", "page"],
                    "msg": "value is not a valid integer",
                    "type": "type_error.integer",
                }
            ],
        ),
        (
            {"project_id": "pr_a", "size": "0"},
            [
                {
                    "loc": ["query", "size"],
                    "msg": "ensure this value is greater than or equal to 1",
                    "type": "value_error.number.not_ge",
                }
            ],
        ),
    ],
)
def test_bad_list_query_is_a_fastapi_422(folder: Path, params: dict[str, str], detail: Any) -> None:
    with LogServer(folder) as server:
        response = get(f"{server.base_url}/logs", params=params)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


def test_other_methods_are_refused(folder: Path) -> None:
    with LogServer(folder) as server:
        response = httpx.post(f"{server.base_url}/logs/data_a1", timeout=5)
    assert response.status_code == 405


def test_a_required_key_is_checked(folder: Path) -> None:
    with LogServer(folder, api_key=KEY) as server:
        none = get(f"{server.base_url}/logs/data_a1")
        wrong = get(f"{server.base_url}/logs/data_a1", headers={"X-API-KEY": "sk-wrong"})
        right = get(f"{server.base_url}/logs/data_a1", headers={"X-API-KEY": KEY})
    assert none.status_code == wrong.status_code == 401
    assert none.json() == {"detail": "Invalid or missing API key"}
    assert right.status_code == 200


def test_request_log_has_no_headers(folder: Path, tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    with LogServer(folder, log=stream) as server:
        get(f"{server.base_url}/logs/data_a1", headers={"X-API-KEY": KEY})
    line = stream.getvalue()
    assert '"GET /v4/logs/data_a1 HTTP/1.1" 200' in line
    assert KEY not in line


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a folder of log files"):
        LogServer(tmp_path / "nope").start()


def test_base_url_before_start(folder: Path) -> None:
    with pytest.raises(RuntimeError):
        _ = LogServer(folder).base_url


async def test_the_client_reads_the_server(folder: Path) -> None:
    with LogServer(folder, api_key=KEY) as server:
        async with HumanloopClient(settings(server.base_url), backoff=FAST) as client:
            doc = await client.get_log("data_a2")
            page = await client.list_logs("pr_a", page=0, size=2)
            found = await client.list_logs("pr_a", search="Paris")
            with pytest.raises(NotFoundError):
                await client.get_log("data_nope")
            with pytest.raises(RejectedError) as refused:
                await client.list_logs("")
    assert doc.raw == (folder / "log2.json").read_bytes()
    assert [r.log.id for r in page.records] == ["data_a3", "data_a2"]
    assert (page.page, page.size, page.total, page.pages) == (0, 2, 4, 2)
    assert page.records[1].raw == (folder / "log2.json").read_bytes().strip()
    assert json.loads(page.records[0].raw)["x_unknown_field"] == {"kept": True}
    assert [r.log.id for r in found.records] == ["data_a2"]
    assert str(refused.value) == (
        "HTTP 422 Unprocessable Entity from 127.0.0.1: the server refused the request: "
        "query.project_id: field required"
    )
