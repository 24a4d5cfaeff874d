"""Settings, read from the environment with safe defaults (see .env.example)."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAREERTIPS_VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules or os.environ.get("CAREERTIPS_TESTING") == "1"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# HTTPS=true when served behind TLS: secure cookies, HSTS and redirects follow.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS and not TESTING
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front of the site that append to X-Forwarded-For (careertips.core.http.client_ip):
# the client is the entry that many hops from the right. Without a proxy the header is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1")) if BEHIND_PROXY else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read through a prepared query (core/sessions.py).
SESSION_ENGINE = "careertips.core.sessions"

# Content-Security-Policy on every response (docs/operations.md, "Content-Security-Policy"):
# scripts and styles come only from our own static files, never inline, so markup that slips
# through escaping cannot run or restyle anything. New behaviour goes into core/static/core/app.js
# and is wired with data attributes; dynamic sizes use SVG attributes or <meter>/<progress>.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # data: images: allauth's two-factor set-up shows the authenticator QR code as one.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks_db",
    "anymail",
    "careertips.core",
    "careertips.network",
    "careertips.pipeline",
    "careertips.offers",
    "careertips.debriefs",
    "careertips.agenda",
    "careertips.pages",
    "careertips.newsletter",
    "careertips.stories",
    "careertips.resumes",
    "careertips.insights",
    "careertips.coaching",
    "careertips.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "careertips.core.middleware.StaffSignInMiddleware",
    "careertips.core.middleware.UserTimezoneMiddleware",
    "careertips.core.pagecache.DataVersionMiddleware",
]

ROOT_URLCONF = "careertips.urls"
WSGI_APPLICATION = "careertips.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "careertips" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careertips.core.context_processors.site",
                "careertips.pages.context_processors.public_site",
            ],
        },
    },
]

# Every form and field is drawn by core/templates/core/forms/ (docs/architecture.md, "Forms").
FORM_RENDERER = "careertips.core.renderers.FormRenderer"

# SQLite (WAL, busy timeout, immediate transactions) unless DATABASE_URL names another database.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'careertips.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, with writers queued by the kernel (core/db/sqlite/base.py); tests run on
    # an in-memory database as they would on the stock engine.
    DATABASES["default"]["ENGINE"] = "careertips.core.db.sqlite"
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    # Connections persist like PostgreSQL's: opening one per request (registering Django's SQL
    # functions, the PRAGMAs, reading the schema, no statement cache) costs 2-10 ms a page.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif env_bool("DATABASE_POOL"):
    # Django's own psycopg pool: each process keeps up to DATABASE_POOL_SIZE connections and
    # hands them to its threads; persistent connections (CONN_MAX_AGE) must be off with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "4")),
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED", default=True
):
    # Parameters bound by the server, and a statement run twice on a connection is kept
    # prepared: PostgreSQL otherwise parses and plans every one of a page's statements anew.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=1
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache keeps rate-limit counters shared by every web process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "careertips_cache",
    }
}
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    }
}
if TESTING and "TASKS_BACKEND" not in os.environ:
    TASKS["default"] = {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASKS["default"]["QUEUES"],
    }

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "agenda:today"
LOGOUT_REDIRECT_URL = "account_login"

# Marks account mail so the captured Mailbox keeps it redacted (core.adapter, core.mail).
ACCOUNT_ADAPTER = "careertips.core.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "careertips.core.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an address without an account sends nothing (and the page says the same).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Changing the email address asks for the password again (the password form asks for the old
# one itself); the old address is told of the change, and of password and second-factor changes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Career Tips] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Failed logins are limited per IP and per account; signups and resets per IP.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

# Two-factor sign-in (docs/two-factor.md): authenticator apps, recovery codes and security keys
# or passkeys for anyone; required for practice accounts (careertips.core.middleware).
MFA_ADAPTER = "careertips.core.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Career Tips"
# A passkey (a security key that verifies its holder) may sign in on its own, without password.
MFA_PASSKEY_LOGIN_ENABLED = True
# Browsers offer security keys only to https pages (and http://localhost while developing).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Practice sessions end at browser close and at most this long after signing in; members keep
# Django's default (two weeks, or browser close without "Remember me").
STAFF_SESSION_SECONDS = int(os.environ.get("STAFF_SESSION_HOURS", "12")) * 3600

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# A proxy serving /static/ reads this folder: keep it apart from the database (docs/deploy.md).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG

# Mail: captured in the database and readable by administrators (account mail redacted)
# unless SMTP is configured.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Career Tips <hello@careertips.local>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_email_host = os.environ.get("EMAIL_HOST", "")
_email_port = int(os.environ.get("EMAIL_PORT", "587"))
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=_email_port == 587),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "careertips.core.mail.CapturingEmailBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "careertips.core.logs.JsonFormatter"},
    },
    # LOG_FORMAT=json: one JSON object a line, for a log collector (docs/operations.md).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Mail a member sends to an address they typed (thank-you notes) is capped per rolling day.
MEMBER_MAIL_PER_DAY = int(os.environ.get("MEMBER_MAIL_PER_DAY", "20"))
# Transactional mail refused or failed is tried again after these many minutes, then given
# up on ("not sent", with a button to try again on the page that sent it).
OUTBOUND_MAIL_RETRY_MINUTES = [int(m) for m in env_list("OUTBOUND_MAIL_RETRY_MINUTES", "1,5,25")]

# Text fields users type into are capped so a pasted novel cannot fill the database.
MAX_TEXT_LENGTH = 20_000

# Contact-form messages go to this address when set, else to every editor.
CONTACT_NOTIFY_EMAIL = os.environ.get("CONTACT_NOTIFY_EMAIL", "")

# The newsletter's list identity (RFC 2919) and the address that takes mailto unsubscribes.
NEWSLETTER_LIST_ID = os.environ.get(
    "NEWSLETTER_LIST_ID", "Career Tips <newsletter.careertips.local>"
)
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", "unsubscribe@careertips.local"
)

# Bounces come back to this address with a signed subscriber token (VERP:
# bounces+<token>@domain); blank sends issues from the From address (docs/operations.md).
NEWSLETTER_BOUNCE_ADDRESS = os.environ.get("NEWSLETTER_BOUNCE_ADDRESS", "")
# A POP3 or IMAP mailbox the task worker polls for bounces, complaints and unsubscribe mails,
# e.g. imaps://user:password@mail.example.com/INBOX or pop3s://user:password@host; blank: none.
INBOUND_MAILBOX_URL = os.environ.get("INBOUND_MAILBOX_URL", "")
INBOUND_POLL_SECONDS = int(os.environ.get("INBOUND_POLL_SECONDS", "300"))

# Sending issues (docs/sending.md). The From address of issues; DEFAULT_FROM_EMAIL if blank.
NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSLETTER_FROM_EMAIL", "")
# Messages per second across all sending workers; 0 sends as fast as the mail server takes.
NEWSLETTER_SEND_RATE = float(os.environ.get("NEWSLETTER_SEND_RATE", "0"))
# Deliveries a worker claims at once, and how long its claim lasts before others may take them.
NEWSLETTER_SEND_BATCH_SIZE = int(os.environ.get("NEWSLETTER_SEND_BATCH_SIZE", "100"))
NEWSLETTER_SEND_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_SEND_LEASE_SECONDS", "300"))
# Accepted messages recorded per database write: the most duplicates one crash can cause.
NEWSLETTER_SEND_MARK_EVERY = int(os.environ.get("NEWSLETTER_SEND_MARK_EVERY", "10"))
# Temporary failures (4xx, lost connection) are retried after 5, 10, 20… minutes, this often.
NEWSLETTER_SEND_MAX_ATTEMPTS = int(os.environ.get("NEWSLETTER_SEND_MAX_ATTEMPTS", "5"))
NEWSLETTER_SEND_RETRY_SECONDS = int(os.environ.get("NEWSLETTER_SEND_RETRY_SECONDS", "300"))
# Send tasks started per issue (they run in parallel on as many task workers as there are).
NEWSLETTER_SEND_WORKERS = int(os.environ.get("NEWSLETTER_SEND_WORKERS", "2"))
NEWSLETTER_SEND_TASK_SECONDS = int(os.environ.get("NEWSLETTER_SEND_TASK_SECONDS", "240"))

# Bounce and complaint webhooks from an email service (django-anymail, /anymail/<esp>/tracking/).
# The service must send this "user:password" as HTTP basic auth; without it no call is accepted.
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET")
    or f"unset:{secrets.token_urlsafe(24)}",
}
if _mailgun_key := os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = _mailgun_key

# Busy member pages are served from the cache until the member next writes anything; this
# bounds how long a change made outside their own requests (time passing, a task) can take to
# show. 0 turns the cache off (the default in tests, which check fresh renders).
MEMBER_PAGE_CACHE_SECONDS = int(
    os.environ.get("MEMBER_PAGE_CACHE_SECONDS", "0" if TESTING else "60")
)

# Backups (docs/operations.md): with BACKUP_DIR set, the task worker writes one archive a day at
# BACKUP_HOUR (UTC) or the first hour after, and keeps the newest of the last N days and M weeks.
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_HOUR = int(os.environ.get("BACKUP_HOUR", "3"))
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("BACKUP_KEEP_WEEKLY", "4"))
# Where pg_dump and pg_restore live; blank takes the newest under /usr/lib/postgresql, then PATH.
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
# /healthz fails when a worker has beaten before but not within this many seconds.
HEALTHZ_HEARTBEAT_SECONDS = int(os.environ.get("HEALTHZ_HEARTBEAT_SECONDS", "300"))
# The JSON API (docs/api.md): requests per token (or signed-in session) per window of seconds.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))
# Outgoing webhooks never call loopback, private, link-local or reserved addresses unless an
# administrator allows it here (a receiver on the same machine or the office network).
API_WEBHOOK_ALLOW_PRIVATE = env_bool("API_WEBHOOK_ALLOW_PRIVATE")
API_WEBHOOK_TIMEOUT = int(os.environ.get("API_WEBHOOK_TIMEOUT", "10"))
# Failed attempts in a row after which an endpoint is turned off and its owner told.
API_WEBHOOK_DISABLE_AFTER = int(os.environ.get("API_WEBHOOK_DISABLE_AFTER", "20"))
# Reading a posting page a member pasted (core/safefetch.py): total seconds, most bytes read,
# and whether loopback (127.0.0.1, ::1) may be read, for a job board on this very machine.
SAFE_FETCH_TIMEOUT = float(os.environ.get("SAFE_FETCH_TIMEOUT", "10"))
SAFE_FETCH_MAX_BYTES = int(os.environ.get("SAFE_FETCH_MAX_BYTES", str(2 * 1024 * 1024)))
SAFE_FETCH_ALLOW_LOOPBACK = env_bool("SAFE_FETCH_ALLOW_LOOPBACK")
