"""Fetch a policy from an http(s) URL (httpx), or refuse with one line that says why.

A compliance officer checks the live page: `privcheck check https://example.com/privacy`. The URL
stays the policy's path in every report; the bytes go to the same readers as a file's, with the
server's media type and charset as hints (content still decides: HTML served as text/plain is read
as HTML). Every network failure is an InputFileError (one line, exit 2, the other inputs still
checked): refused connection, DNS failure, TLS error, timeout, HTTP error status, redirect loop or
too many redirects, a body over the size limit, a content type that is not a document.

Redirects are followed by hand (at most MAX_REDIRECTS, loops detected) so that each hop can be
checked and the chain reported with the result. `--offline` refuses every URL without a
connection attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from checker import __version__
from checker.errors import InputFileError

MAX_REDIRECTS = 10
USER_AGENT = f"privcheck/{__version__} (+https://github.com/privcheck/privcheck)"
# What a policy can be served as. application/octet-stream and a missing type are sniffed.
DOCUMENT_TYPES = {
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
    "application/pdf", "application/x-pdf", "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class Page:
    """A fetched document: its bytes and what the server said about them."""

    url: str
    final_url: str
    data: bytes
    media_type: str | None = None
    charset: str | None = None
    redirects: list[str] = field(default_factory=list)  # every hop after the first URL


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip("\"'")
    return media.strip().lower() or None, charset


def fetch(url: str, options: object) -> Page:
    """GET `url` within the run's limits (ReadOptions: max_bytes, timeout, offline)."""
    if getattr(options, "offline", False):
        raise InputFileError("is a URL and --offline forbids network access", url)
    import httpx

    max_bytes = int(getattr(options, "max_bytes", 5 * 1024 * 1024))
    timeout = float(getattr(options, "timeout", 20.0))
    seen = [url]
    current = url
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                          headers={"User-Agent": USER_AGENT, "Accept": ", ".join(
                              ["text/html", "application/pdf", "text/plain;q=0.9", "*/*;q=0.5"])}
                          ) as client:
            while True:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        target = urljoin(current, response.headers.get("location", ""))
                        if not target.lower().startswith(("http://", "https://")):
                            raise InputFileError(f"redirected to a non-web address: {target}", url)
                        if target in seen:
                            chain = " -> ".join([*seen[seen.index(target):], target])
                            raise InputFileError(f"redirect loop: {chain}", url)
                        seen.append(target)
                        if len(seen) > MAX_REDIRECTS + 1:
                            raise InputFileError(f"more than {MAX_REDIRECTS} redirects", url)
                        current = target
                        continue
                    if response.status_code >= 400:
                        where = f" (after redirects to {current})" if current != url else ""
                        raise InputFileError(
                            f"HTTP {response.status_code} {response.reason_phrase}{where}", url)
                    media, charset = _content_type(response.headers.get("content-type"))
                    if media is not None and media not in DOCUMENT_TYPES:
                        raise InputFileError(
                            f"served as {media}, not a document (expected HTML, PDF, DOCX or "
                            "text)", url)
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise InputFileError(_too_big(int(declared), max_bytes), url)
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise InputFileError(_too_big(size, max_bytes, more=True), url)
                        chunks.append(chunk)
                    data = b"".join(chunks)
                    break
    except InputFileError:
        raise
    except httpx.TimeoutException:
        raise InputFileError(f"timed out after {timeout:g} s", url) from None
    except httpx.ConnectError as exc:
        raise InputFileError(f"cannot connect: {_reason(exc)}", url) from None
    except httpx.InvalidURL as exc:
        raise InputFileError(f"invalid URL: {exc}", url) from None
    except (httpx.HTTPError, httpx.StreamError) as exc:
        raise InputFileError(f"network error: {_reason(exc)}", url) from None
    if not data.strip():
        raise InputFileError("the server sent an empty document", url)
    return Page(url, current, data, media, charset, seen[1:])


def _size(n: float) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _too_big(size: int, limit: int, more: bool = False) -> str:
    said = "goes" if more else f"is {_size(size)},"
    return f"response {said} over the {_size(limit)} limit (raise it with --max-size)"


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
