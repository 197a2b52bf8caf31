"""Logs carry a request id, and no family data reaches a log line or an error report."""

import io
import logging

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from households import services
from welzijn.logs import PrivateFormatter

SECRET_NAME = "Familie Zeldzaamnaam"
SECRET_STREET = "Verborgenstraat"
SECRET_NOTE = "Vertrouwelijk-Geheimpje"


@pytest.fixture
def console():
    """What the root logger's console handler (settings.LOGGING) writes, in a string."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, PrivateFormatter))
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_each_response_carries_a_request_id_and_each_log_line_too(client, db, console):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second
    passed = client.get("/bestaat/niet/", headers={"X-Request-ID": "nginx-abc123"})
    assert passed["X-Request-ID"] == "nginx-abc123"
    assert "[nginx-abc123] django.request: Not Found: /bestaat/niet/" in console.getvalue()
    # Anything but a plain token is replaced, so a header cannot forge log lines.
    forged = client.get("/healthz", headers={"X-Request-ID": "x\nERROR fake line"})
    assert "\n" not in forged["X-Request-ID"]


def test_a_crash_while_saving_a_family_leaves_no_family_data_in_logs_or_error_mail(
    world, settings, monkeypatch, console, caplog
):
    settings.ADMINS = ["ops@example.org"]

    def failing_create(*, household, **kwargs):
        # As PostgreSQL's DETAIL does: the refused values are in the message.
        raise ValueError(f"Key (display_name)=({household.display_name}, {household.street}) already exists")

    monkeypatch.setattr(services, "create_household", failing_create)
    client = Client(raise_request_exception=False)
    client.force_login(world.volunteer_a)
    url = reverse("households:create", kwargs={"slug": "brugge"})
    data = {
        "display_name": SECRET_NAME,
        "street": SECRET_STREET,
        "house_number": "3",
        "postcode": "8000",
        "municipality": "Brugge",
        "note": SECRET_NOTE,
        "needs": ["housing"],
    }
    with caplog.at_level(logging.INFO):
        response = client.post(f"{url}?q={SECRET_NAME}", data)
    assert response.status_code == 500
    assert len(mail.outbox) == 1, "the error report must still go out"
    report = mail.outbox[0]
    assert isinstance(report, EmailMultiAlternatives)
    texts = [
        console.getvalue(),
        report.subject,
        report.body,
        *(alternative[0] for alternative in report.alternatives),
        *(PrivateFormatter().format(record) for record in caplog.records),
        *(record.getMessage() for record in caplog.records),
    ]
    for text in texts:
        for secret in (SECRET_NAME, "Zeldzaamnaam", SECRET_STREET, SECRET_NOTE):
            assert secret not in text
    # What it takes to find the fault is still there.
    assert "ValueError" in console.getvalue()
    assert "failing_create" in console.getvalue()
    assert "ValueError" in report.body
    assert response["X-Request-ID"] in console.getvalue()
