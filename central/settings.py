"""Settings, read from the environment when Django configures itself (never at kiosk import).

DATABASE_URL        sqlite:///PATH (default: $CENTRAL_DATA_DIR/central.sqlite3) or postgres://...
CENTRAL_DATA_DIR    keys, TUF repository, uploads (default: var/central in the repo)
CENTRAL_SECRET_KEY  Django's secret key; or CENTRAL_SECRET_KEY_FILE, a file holding it. Every
                    node behind one proxy must share it (sessions, signed messages, the
                    idempotency digests). Required on PostgreSQL; on SQLite (one host) it is
                    otherwise generated once into the data dir.
CENTRAL_TUF_DIR     the TUF repository, on storage every node serves (default: DATA_DIR/tuf)
CENTRAL_ONLINE_KEYS_DIR  snapshot/timestamp keys, readable by every node that may lead
                    (default: DATA_DIR/keys/online)
CENTRAL_TRUSTED_PROXIES  how many proxies (nginx) stand in front and append to
                    X-Forwarded-For (default 0: the peer address is the client)
CENTRAL_DEBUG       1 for development only
CENTRAL_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
CENTRAL_TIME_ZONE   the bureau's time zone (default Asia/Shanghai)
CENTRAL_OFFLINE_KEYS_DIR  where the root and targets signing keys are (default: DATA_DIR/keys/offline)
CENTRAL_SQLITE_TIMEOUT    seconds a SQLite writer waits for the lock (then 503), default 20
CENTRAL_SEAL_KEY_FILE / CENTRAL_AT_REST_KEY_FILE  application keys (default: DATA_DIR/keys/casework/)
CENTRAL_APPLICATION_RETENTION_DAYS  personal data kept after closing when the kind says nothing (365)
CENTRAL_LOGIN_*           admin login limits (see CENTRAL below)
CENTRAL_SESSION_IDLE_MIN  a staff session ends after this many idle minutes (default 60) or at browser close
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REPO_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CENTRAL_DATA_DIR") or REPO_DIR / "var" / "central").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key(database_url: str) -> str:
    if os.environ.get("CENTRAL_SECRET_KEY"):
        return os.environ["CENTRAL_SECRET_KEY"]
    if os.environ.get("CENTRAL_SECRET_KEY_FILE"):
        shared = Path(os.environ["CENTRAL_SECRET_KEY_FILE"])
        try:
            key = shared.read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"CENTRAL_SECRET_KEY_FILE {shared} cannot be read: {exc}") from exc
        if len(key) < 40:
            raise ImproperlyConfigured(f"the secret key in {shared} is shorter than 40 characters")
        return key
    if not database_url.startswith("sqlite"):
        # A key made per data dir differs per node: sessions, one-time messages and the
        # per-phone limits' digests would then break as requests move between nodes.
        raise ImproperlyConfigured(
            "set CENTRAL_SECRET_KEY_FILE (or CENTRAL_SECRET_KEY) to one secret shared by every node; "
            "make it once with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'central.sqlite3'}"
SECRET_KEY = _secret_key(_DATABASE_URL)
DEBUG = os.environ.get("CENTRAL_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("CENTRAL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CENTRAL_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "reversion",
    "central.org",
    "central.fleet",
    "central.booking",
    "central.queueing",
    "central.publishing",
    "central.casework",
    "central.editing",
    "central.review",
    "central.insight",
]

MIDDLEWARE = [
    "central.api.json_errors.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "central.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "central.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "central.api.idempotency.KioskApiMiddleware",
]

ROOT_URLCONF = "central.urls"
WSGI_APPLICATION = "central.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    db: dict[str, object] = dict(dj_database_url.parse(_DATABASE_URL, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers never
        # deadlock on a lock upgrade; they queue on busy_timeout instead. WAL lets
        # readers go on while one writes.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("CENTRAL_SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("CENTRAL_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the display board's script
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"

SESSION_COOKIE_HTTPONLY = True
# Counter PCs are shared: a staff session ends when the browser closes, or after an idle hour
# (each request renews it), not after Django's two weeks.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * int(os.environ.get("CENTRAL_SESSION_IDLE_MIN", "60"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("CENTRAL_HTTPS") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:  # behind a TLS-terminating proxy that sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "/admin/login/"

# The bureau's own rules (not legal figures): booking windows and limits.
CENTRAL: dict[str, Any] = {
    "CHECKIN_EARLY_MIN": int(os.environ.get("CENTRAL_CHECKIN_EARLY_MIN", "30")),
    "CHECKIN_LATE_MIN": int(os.environ.get("CENTRAL_CHECKIN_LATE_MIN", "15")),
    "PHONE_BOOKINGS_PER_DAY": int(os.environ.get("CENTRAL_PHONE_BOOKINGS_PER_DAY", "2")),
    # Days after the appointment a booking keeps the resident's phone number (then removed).
    "PHONE_KEEP_DAYS": int(os.environ.get("CENTRAL_PHONE_KEEP_DAYS", "30")),
    "BOOKING_DAYS": 7,
    "HEARTBEAT_POLL_S": int(os.environ.get("CENTRAL_HEARTBEAT_POLL_S", "60")),
    "IDEMPOTENCY_KEEP_H": 48,
    # Idempotency records of heartbeats left by an older release (no longer written).
    "IDEMPOTENCY_SHORT_KEEP_MIN": 15,
    # Admin logins (central/org/throttle.py): tries per account and address, then locked;
    # tries per address over all accounts; tries per account over all addresses, then a backoff.
    "LOGIN_FAILURES": int(os.environ.get("CENTRAL_LOGIN_FAILURES", "5")),
    "LOGIN_LOCK_S": int(os.environ.get("CENTRAL_LOGIN_LOCK_S", "900")),
    "LOGIN_ADDRESS_FAILURES": int(os.environ.get("CENTRAL_LOGIN_ADDRESS_FAILURES", "20")),
    "LOGIN_USER_FAILURES": int(os.environ.get("CENTRAL_LOGIN_USER_FAILURES", "10")),
    "LOGIN_USER_BACKOFF_S": int(os.environ.get("CENTRAL_LOGIN_USER_BACKOFF_S", "30")),
    # Unknown booking codes / ticket ids per address (phone pages) or kiosk, then 429 (central/guesses.py).
    "GUESS_LIMIT": int(os.environ.get("CENTRAL_GUESS_LIMIT", "20")),
    "GUESS_WINDOW_S": int(os.environ.get("CENTRAL_GUESS_WINDOW_S", "600")),
    # Proxies in front (nginx: 1) whose X-Forwarded-For entries are believed; 0 ignores it.
    "TRUSTED_PROXIES": int(os.environ.get("CENTRAL_TRUSTED_PROXIES", "0")),
    "OFFLINE_KEYS_DIR": os.environ.get("CENTRAL_OFFLINE_KEYS_DIR") or str(DATA_DIR / "keys" / "offline"),
    "ONLINE_KEYS_DIR": os.environ.get("CENTRAL_ONLINE_KEYS_DIR") or str(DATA_DIR / "keys" / "online"),
    "TUF_DIR": os.environ.get("CENTRAL_TUF_DIR") or str(DATA_DIR / "tuf"),
    "CONTENT_DIR": str(REPO_DIR / "content"),
    "LOCALITY_FILE": str(REPO_DIR / "config" / "localities" / "demo.yaml"),
    "LOCALES": ["zh-CN", "en"],
    # The flow editor's law and article picker: statute texts (kiosk/content/citations.py);
    # when the folder is absent the editor falls back to free text.
    "LAWS_DIR": os.environ.get("CENTRAL_LAWS_DIR") or str(REPO_DIR.parent / "shared" / "laws"),
    # Base of the phone-page links printed as QR codes (what residents' phones can reach).
    "PUBLIC_URL": os.environ.get("CENTRAL_PUBLIC_URL", ""),
    # Applications: personal fields kept this many days after closing when the kind names no
    # retention_days of its own; then `central purge-applications` (and housekeeping) deletes them.
    "APPLICATION_RETENTION_DAYS": int(os.environ.get("CENTRAL_APPLICATION_RETENTION_DAYS", "365")),
    # Queue tickets only while the office is open ("plans"), or at any time ("always").
    "QUEUE_HOURS": os.environ.get("CENTRAL_QUEUE_HOURS", "plans"),
    # Tests only: a file holding the ISO time opening hours are judged at (empty: the real clock).
    "TEST_CLOCK_FILE": os.environ.get("CENTRAL_TEST_CLOCK_FILE", ""),
    # 差评 follow-up (central/insight/followup.py): feedback due in this many working days (a
    # default: 国办发〔2019〕51号 is not in the collection; the bureau sets its province's rule);
    # the call-back number is removed this many days after closing, or after the MAX in any case.
    "FOLLOWUP_WORKING_DAYS": int(os.environ.get("CENTRAL_FOLLOWUP_WORKING_DAYS", "5")),
    "FOLLOWUP_PHONE_KEEP_DAYS": int(os.environ.get("CENTRAL_FOLLOWUP_PHONE_KEEP_DAYS", "30")),
    "FOLLOWUP_PHONE_MAX_DAYS": int(os.environ.get("CENTRAL_FOLLOWUP_PHONE_MAX_DAYS", "90")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CENTRAL_LOG_LEVEL", "INFO")},
    # Request lines carry paths with booking codes; keep Django's request log at warnings.
    "loggers": {"django.request": {"level": "ERROR"}, "django.server": {"level": "WARNING"}},
}

AUTHENTICATION_BACKENDS = ["central.org.auth.ThrottledModelBackend"]
# Admin CSS/JS straight from the installed apps (WhiteNoise): no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
