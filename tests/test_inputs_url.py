"""URLs: check, report and diff fetch http(s) pages from a local server started here (127.0.0.1
only, never the internet); the URL is the path in every report; every failure is one line, exit 2,
and the other inputs are still checked."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from tests.gatekit import cli
from tests.inputs_kit import SAMPLE, docx_bytes, html_page, pdf_bytes, without_sections

PARTIAL = without_sections(SAMPLE, "Do Not Track")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    page = html_page(PARTIAL).encode()
    return {
        "/policy.md": (200, {"Content-Type": "text/markdown; charset=utf-8"}, PARTIAL.encode()),
        "/privacy": (200, {"Content-Type": "text/html; charset=utf-8"}, page),
        "/as-text": (200, {"Content-Type": "text/plain"}, page),
        "/policy.pdf": (200, {"Content-Type": "application/pdf"}, pdf_bytes(PARTIAL)),
        "/draft": (200, {"Content-Type": DOCX}, docx_bytes(PARTIAL)),
        "/latin": (200, {"Content-Type": "text/html; charset=iso-8859-1"},
                   html_page(PARTIAL + "\nCaf\u00e9 au lait.\n").encode("latin-1")),
        "/old": (301, {"Location": "/privacy"}, b""),
        "/loop-a": (302, {"Location": "/loop-b"}, b""),
        "/loop-b": (302, {"Location": "/loop-a"}, b""),
        "/missing": (404, {"Content-Type": "text/html"}, b"<p>Not here</p>"),
        "/logo": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        "/huge": (200, {"Content-Type": "text/html"}, b"<p>" + b"We collect data. " * 4000),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def log_message(self, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/chunked":  # no Content-Length: the limit must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>We collect data.</p>" * 20
            with suppress(BrokenPipeError, ConnectionResetError):  # privcheck hung up: good
                for _ in range(200):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):  # refused on its Content-Length
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.routes = _routes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _verdicts(data: dict) -> list[dict[str, str]]:
    return [{f["rule"]: f["status"] for f in p["results"]} for p in data["policies"]]


def test_every_served_form_gets_the_markdowns_verdicts(server: str, tmp_path) -> None:
    local = tmp_path / "policy.md"
    local.write_text(PARTIAL, encoding="utf-8")
    urls = [f"{server}{p}" for p in ("/policy.md", "/privacy", "/as-text", "/policy.pdf",
                                     "/draft", "/latin", "/old")]
    result = cli("check", "--format", "json", "--jobs", "1", str(local), *urls)
    data = json.loads(result.stdout)
    assert result.exit_code == 1, result.stderr  # PARTIAL fails the Do Not Track rule
    assert [p["path"] for p in data["policies"]] == [str(local), *urls]
    expected, *served = _verdicts(data)
    assert expected["caloppa.do-not-track"] == "fail"
    for url, got in zip(urls, served, strict=True):
        assert got == expected, url
    old = data["policies"][-1]
    assert old["redirects"] == [f"{server}/privacy"]
    # locations in each form's own terms: lines, pages, paragraphs
    for index, prefix in ((1, None), (4, "page "), (5, "paragraph ")):
        located = [e for f in data["policies"][index]["results"] for e in f["evidence"]]
        assert located
        if prefix is None:
            assert all(e["locator"] is None and e["line"] > 0 for e in located)
        else:
            assert all(e["locator"].startswith((prefix, "table ")) for e in located)


def test_url_in_text_sarif_and_report_outputs(server: str, tmp_path) -> None:
    url = f"{server}/old"
    text = cli("check", url, "--select", "caloppa.do-not-track")
    assert url in text.stdout and f"redirected to {server}/privacy" in text.stdout
    sarif = json.loads(cli("check", url, "--format", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert uris == {url}
    out = tmp_path / "r.md"
    assert cli("report", url, "--format", "markdown", "-o", str(out)).exit_code == 0
    from markdown_it import MarkdownIt  # the report escapes Markdown: read it as rendered

    assert url in MarkdownIt().render(out.read_text(encoding="utf-8"))


def test_diff_accepts_urls(server: str, tmp_path) -> None:
    old = tmp_path / "old.md"
    old.write_text(SAMPLE, encoding="utf-8")
    result = cli("diff", str(old), f"{server}/policy.pdf", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [c["rule"] for c in data["policies"][0]["regressions"]] == ["caloppa.do-not-track"]


def _refused_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return port


@pytest.mark.parametrize(("target", "flags", "expected"), [
    ("refused", [], "cannot connect"),
    ("/slow", ["--timeout", "0.5"], "timed out after 0.5 s"),
    ("/missing", [], "HTTP 404 Not Found"),
    ("/loop-a", [], "redirect loop: "),
    ("/huge", ["--max-size", "0.01"], "response is 66 KB, over the 10 KB limit"),
    ("/chunked", ["--max-size", "0.05"], "over the 51 KB limit"),
    ("/logo", [], "served as image/png, not a document"),
    ("/privacy", ["--offline"], "--offline forbids network access"),
], ids=["refused", "timeout", "404", "redirect-loop", "oversize", "oversize-streamed",
        "content-type", "offline"])
def test_network_failures_are_one_line_and_exit_2(server: str, tmp_path, target: str,
                                                   flags: list[str], expected: str) -> None:
    url = f"http://127.0.0.1:{_refused_port()}/p" if target == "refused" else server + target
    good = tmp_path / "good.md"
    good.write_text(SAMPLE, encoding="utf-8")
    result = cli("check", "--format", "json", url, str(good), *flags)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"privcheck: error: {url}: "), lines
    assert expected in lines[0]
    data = json.loads(result.stdout)
    assert [p["path"] for p in data["policies"]] == [str(good)]  # the rest is still checked
