"""Guards in front of every /api/ view, and JSON for errors Django itself raises."""

from urllib.parse import unquote_to_bytes

from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

from .errors import json_error
from .parsers import max_body_bytes

MAX_QUERY_BYTES = 4096

_PHRASES = {
    400: ("invalid", "Bad request."), 401: ("not_authenticated", "Authentication required."),
    403: ("permission_denied", "Forbidden."), 404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("too_large", "The request body is too large."), 500: ("server_error", "Server error."),
}


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        refused = self.refuse(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code >= 400 and not hasattr(response, "accepted_renderer"):
            # Raised outside DRF (unknown URL, Django's own 400s): same shape, never HTML.
            code, phrase = _PHRASES.get(response.status_code, ("error", "Error."))
            return json_error(response.status_code, code, phrase)
        # What a caller sees depends on their key, so shared caches must key on it.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code == 200 \
                and not response.streaming and request.path_info.startswith("/api/v1/"):
            if not response.has_header("ETag"):
                set_response_etag(response)
            return get_conditional_response(
                request, etag=response["ETag"],
                last_modified=parse_http_date_safe(response.get("Last-Modified") or ""),
                response=response,
            )
        return response

    def refuse(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()):
            return json_error(400, "invalid", "Content-Length is not a number.")
        if int(length) > max_body_bytes():
            return json_error(413, "too_large",
                              f"The request body is over {max_body_bytes()} bytes.")
        raw_query = request.META.get("QUERY_STRING", "")
        if len(raw_query) > MAX_QUERY_BYTES:
            # gunicorn runs with --limit-request-line 0 so this JSON answer, not its
            # HTML page, is what a client with an overlong URL gets.
            return json_error(414, "uri_too_long",
                              f"The query string is over {MAX_QUERY_BYTES} bytes.")
        try:
            unquote_to_bytes(raw_query.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            return json_error(400, "invalid", "The query string is not valid UTF-8.")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return json_error(400, "invalid", "Query parameters cannot contain NUL.",
                                  fields={name.replace("\x00", ""): ["Contains NUL (%00)."]})
        return None
