"""A local web site serving an article, an empty page and a binary file, admitted by
the SSRF guard through LINKS_ALLOWED_PRIVATE_HOSTS / LINKS_ALLOWED_PORTS."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SEED = (Path(__file__).parent / "data" / "seed_article_az.txt").read_text(encoding="utf-8")

ARTICLE_HTML = """<!doctype html><html lang="az"><head><meta charset="utf-8">
<title>Putin Kim Çen Ina məktub göndərib</title>
<meta property="article:published_time" content="2025-08-15T09:30:00+04:00"></head><body>
<nav><a href="/">Ana səhifə</a> <a href="/siyaset">Siyasət</a>
<a href="/iqtisadiyyat">İqtisadiyyat</a></nav>
<article><h1>Putin Kim Çen Ina məktub göndərib</h1>
{paragraphs}
</article><footer>© Nümunə Xəbər 2025. Bütün hüquqlar qorunur.</footer></body></html>"""
EMPTY_HTML = """<!doctype html><html><head><title>Giriş</title></head><body>
<nav><a href="/">Home</a></nav><form><input name="q"></form></body></html>"""


class ArticleServer(BaseHTTPRequestHandler):
    def do_GET(self):
        pages = {
            "/article": ("text/html; charset=utf-8", ARTICLE_HTML.format(paragraphs="\n".join(
                f"<p>{line}</p>" for line in SEED.splitlines()[1:] if line.strip()))),
            "/empty": ("text/html; charset=utf-8", EMPTY_HTML),
            "/file.bin": ("application/octet-stream", "\x00\x01\x02" * 100),
        }
        if self.path not in pages:
            self.send_error(404)
            return
        content_type, body = pages[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(settings):
    """A local web site the SSRF guard is told to admit (by host and port)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ArticleServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    settings.LINKS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.LINKS_ALLOWED_PORTS = [80, 443, port]
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(5)
