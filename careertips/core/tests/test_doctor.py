"""`careertips doctor`: each check passes on a healthy install and fails (saying what to
fix) on a broken one."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import ConnectionHandler
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from careertips.core import doctor
from careertips.core.models import Backup
from careertips.core.tests.deploykit import free_port

SECURE = {
    "DEBUG": False,
    "SECRET_KEY": "x7Qp2-" * 12,
    "ALLOWED_HOSTS": ["careers.example.com"],
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "MAILERS": {"default": {"BACKEND": "careertips.core.mail.CapturingEmailBackend"}},
}
DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


# Settings ------------------------------------------------------------------------------------


@pytest.fixture
def _deployed(monkeypatch):
    """The test run itself allows async-unsafe calls, which check --deploy rightly refuses."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


# Model checks ask the database what it supports.
@pytest.mark.django_db
@pytest.mark.usefixtures("_deployed")
def test_it_passes_production_settings():
    with override_settings(**SECURE):
        result = doctor.check_settings()

    assert result.status == doctor.OK, result.summary


@pytest.mark.django_db
def test_it_fails_settings_that_check_deploy_warns_about():
    with override_settings(**{**SECURE, "SESSION_COOKIE_SECURE": False, "DEBUG": True}):
        result = doctor.check_settings()

    assert result.status == doctor.FAIL
    assert "security.W012" in result.summary
    assert "security.W018" in result.summary  # DEBUG
    assert "HTTPS=true" in result.fix


# Database ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_passes_a_reachable_migrated_database():
    result = doctor.check_database()

    assert result.status == doctor.OK
    assert "fully migrated" in result.summary


def _sqlite(path) -> ConnectionHandler:
    base = connections["default"].settings_dict
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {}}
    return ConnectionHandler({"default": {**base, **sqlite, "TEST": {}}})


@pytest.mark.django_db
def test_it_fails_a_database_with_migrations_not_applied(tmp_path):
    handler = _sqlite(tmp_path / "empty.sqlite3")
    try:
        result = doctor.check_database(handler["default"])
    finally:
        handler.close_all()

    assert result.status == doctor.FAIL
    assert "not applied" in result.summary
    assert "careertips migrate" in result.fix


@pytest.mark.django_db
def test_it_fails_a_database_it_cannot_reach(tmp_path):
    handler = _sqlite(tmp_path / "no-such-folder" / "db.sqlite3")
    result = doctor.check_database(handler["default"])

    assert result.status == doctor.FAIL
    assert "cannot reach the database" in result.summary
    assert "DATABASE_URL" in result.fix


# Worker --------------------------------------------------------------------------------------


def _task(**kw) -> DBTaskResult:
    kw.setdefault("run_after", get_date_max())
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="careertips.x.tasks.y",
        backend_name="default", **kw,
    )  # fmt: skip


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_it_passes_a_worker_that_finished_a_task_lately():
    _task(status="SUCCESSFUL", finished_at=timezone.now() - dt.timedelta(minutes=4))

    result = doctor.check_worker()

    assert result.status == doctor.OK
    assert "4 min ago" in result.summary


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_it_fails_when_no_task_has_ever_run():
    result = doctor.check_worker()

    assert result.status == doctor.FAIL
    assert "careertips.target" in result.fix


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_it_fails_when_the_worker_has_been_quiet_too_long():
    _task(status="SUCCESSFUL", finished_at=timezone.now() - dt.timedelta(hours=3))

    result = doctor.check_worker()

    assert result.status == doctor.FAIL
    assert "3 hours ago" in result.summary
    assert "schedule_digests" in result.fix


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_it_fails_when_tasks_wait_with_no_worker_for_their_queue():
    _task(status="SUCCESSFUL", finished_at=timezone.now())
    old = timezone.now() - dt.timedelta(minutes=30)
    _task(status="READY", queue_name="mail", run_after=old)
    _task(status="READY", queue_name="mail")  # enqueued just now: not overdue

    result = doctor.check_worker()

    assert result.status == doctor.FAIL
    assert result.summary.startswith("1 task(s) waiting")
    assert "queue(s) mail" in result.summary


def test_it_skips_the_worker_check_when_tasks_run_elsewhere():
    result = doctor.check_worker()  # the tests' immediate backend

    assert result.status == doctor.SKIP
    assert "ImmediateBackend" in result.summary


# Mail ----------------------------------------------------------------------------------------


def _smtp(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": options}}  # fmt: skip


class _Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's name
        return "250 OK"


def test_it_passes_an_smtp_server_that_answers():
    controller = Controller(_Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(MAILERS=_smtp(controller.port)):
            result = doctor.check_mail()
    finally:
        controller.stop()

    assert result.status == doctor.OK
    assert f"127.0.0.1:{controller.port}" in result.summary


def test_it_fails_an_smtp_server_that_does_not_answer():
    with override_settings(MAILERS=_smtp(free_port())):
        result = doctor.check_mail()

    assert result.status == doctor.FAIL
    assert "cannot talk to 127.0.0.1" in result.summary
    assert "EMAIL_HOST" in result.fix


def test_it_says_plainly_that_captured_mail_reaches_nobody():
    captured = {"default": {"BACKEND": "careertips.core.mail.CapturingEmailBackend"}}
    with override_settings(MAILERS=captured):
        result = doctor.check_mail()

    assert result.status == doctor.WARN
    assert "nobody receives any" in result.summary


# The site through its proxy ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_passes_a_site_that_sees_what_the_visitor_sent(live_server):
    with override_settings(SITE_URL=live_server.url, HTTPS=False):
        result = doctor.check_site()

    assert result.status == doctor.OK, result.summary
    assert "sees the visitor as 127.0.0.1" in result.summary


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_site_that_sees_http_although_https_is_on(live_server):
    with override_settings(SITE_URL=live_server.url, HTTPS=True):
        result = doctor.check_site()

    assert result.status == doctor.FAIL
    assert "sees http although HTTPS=true" in result.summary
    assert "X-Forwarded-Proto" in result.fix


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_proxy_that_sends_no_forwarded_address(live_server):
    behind = {
        "BEHIND_PROXY": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
    }
    with override_settings(SITE_URL=live_server.url, HTTPS=False, **behind):
        result = doctor.check_site()

    assert result.status == doctor.FAIL
    assert "every visitor shares the proxy's address" in result.summary


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_site_that_refuses_its_own_host(live_server):
    with override_settings(SITE_URL=live_server.url, ALLOWED_HOSTS=["careers.example.com"]):
        result = doctor.check_site()

    assert result.status == doctor.FAIL
    assert "HTTP 400" in result.summary
    assert "ALLOWED_HOSTS" in result.fix


def test_it_skips_the_site_check_when_the_site_cannot_be_reached():
    with override_settings(SITE_URL=f"http://127.0.0.1:{free_port()}"):
        result = doctor.check_site(timeout=2)

    assert result.status == doctor.SKIP
    assert "could not reach" in result.summary


# Backups -------------------------------------------------------------------------------------


def test_it_skips_backups_when_none_are_configured(monkeypatch):
    monkeypatch.delenv("BACKUP_DIR", raising=False)

    result = doctor.check_backups()

    assert result.status == doctor.SKIP
    assert result.summary == "backups not configured"


@pytest.mark.django_db
def test_it_passes_a_backup_made_last_night(monkeypatch, tmp_path):
    (tmp_path / "careertips-2026-12-05.dump").write_bytes(b"backup")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))

    result = doctor.check_backups(now=time.time() + 8 * 3600)

    assert result.status == doctor.OK
    assert "8 hours old" in result.summary


@pytest.mark.django_db
def test_it_fails_backups_that_stopped(monkeypatch, tmp_path):
    old = tmp_path / "nightly" / "careertips-2026-11-30.dump"
    old.parent.mkdir()
    old.write_bytes(b"backup")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    week_ago = time.time() - 6 * 86400
    os.utime(old, (week_ago, week_ago))

    result = doctor.check_backups()

    assert result.status == doctor.FAIL
    assert "6 days old" in result.summary


@pytest.mark.django_db
def test_it_fails_an_empty_backup_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))

    result = doctor.check_backups()

    assert result.status == doctor.FAIL
    assert "no backup" in result.summary


@pytest.mark.django_db
def test_it_fails_when_the_last_backup_run_failed(monkeypatch, tmp_path):
    (tmp_path / "careertips-2026-12-05.tar.gz").write_bytes(b"backup")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    Backup.objects.create(status=Backup.Status.FAILED, error="pg_dump: connection refused")

    result = doctor.check_backups()

    assert result.status == doctor.FAIL
    assert "pg_dump: connection refused" in result.summary


# The command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_prints_every_check_and_exits_non_zero_on_a_failure(capsys, monkeypatch):
    monkeypatch.delenv("BACKUP_DIR", raising=False)
    with (
        override_settings(SITE_URL=f"http://127.0.0.1:{free_port()}"),
        pytest.raises(CommandError, match=r"check\(s\) failed"),
    ):
        call_command("doctor")

    out = capsys.readouterr().out
    for name in ("settings", "database", "worker", "mail", "site", "backups"):
        assert f" {name} " in out
    assert "FAIL  settings" in out
    assert "fix: " in out


@pytest.mark.django_db
@pytest.mark.usefixtures("_deployed")
def test_it_exits_cleanly_when_nothing_fails(capsys, monkeypatch):
    monkeypatch.delenv("BACKUP_DIR", raising=False)
    with override_settings(SITE_URL=f"http://127.0.0.1:{free_port()}", **SECURE):
        call_command("doctor")

    assert "All checks passed." in capsys.readouterr().out
