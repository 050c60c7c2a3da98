"""Liveness for load balancers and docker-compose: the app answers and reaches its database."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure at all means "not healthy"
        return JsonResponse({"status": "unhealthy", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok"})
