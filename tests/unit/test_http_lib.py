"""The client's start-up: httpx without its command-line tool, no CA bundle for plain http."""

from __future__ import annotations

import ssl
import subprocess
import sys

from tui.api.client import _tls_context


def test_httpx_loads_without_its_command_line_tool() -> None:
    # click (brought by uvicorn) made httpx import its CLI: click, pygments, rich.progress.
    code = (
        "import sys\n"
        "from tui.api.http_lib import load_httpx\n"
        "httpx = load_httpx()\n"
        "assert httpx.AsyncClient and httpx.Timeout\n"
        "print(sorted(m for m in ('click', 'pygments', 'httpx._main') if m in sys.modules))\n"
        "import httpx._main\n"  # still there for whoever wants it
        "print('later', 'httpx._main' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "later True"


def test_an_https_target_verifies_certificates_with_the_system_bundle() -> None:
    assert _tls_context("https://api.helicone.ai") is True
    assert _tls_context("HTTPS://eu.api.helicone.ai") is True


def test_a_plain_http_target_has_a_context_that_would_refuse_any_certificate() -> None:
    context = _tls_context("http://127.0.0.1:8585")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # no CA: nothing could verify


def test_the_warm_client_has_httpcores_first_request_imports_done() -> None:
    # Done in the warm-up thread, they do not stall the event loop at the first request.
    code = (
        "import sys\n"
        "from tui.api.client import HeliconeClient\n"
        "print('before', 'anyio._backends._asyncio' in sys.modules)\n"
        "HeliconeClient('http://127.0.0.1:9', 'sk-test-0000', allow_insecure_http=True).warm()\n"
        "print('after', 'anyio._backends._asyncio' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == ["before False", "after True"]
