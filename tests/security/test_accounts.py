"""Editor accounts: admin logins throttled (django-axes), the optional second factor that
the central team can require (clinics/two_factor.py), the admin session's lifetime."""

from binascii import unhexlify

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics import two_factor
from tests.factories import UserFactory

LOGIN = "/admin/login/"
NOVA_EDITORS = "Nova Health Recovery editors"


@pytest.fixture
def editor(nova):
    return UserFactory(username="nova-editor", groups=[Group.objects.get(name=NOVA_EDITORS)])


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


# --- throttling --------------------------------------------------------------------------


def test_logins_are_refused_after_repeated_failures_even_with_the_right_password(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "nova-editor", "wrong").status_code == 200  # the form again
    assert sign_in(client, "nova-editor", "wrong").status_code == 429
    response = sign_in(client, "nova-editor", "password")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_the_usernames_alone(client, editor, nova):
    other = UserFactory(username="other-editor", groups=[Group.objects.get(name=NOVA_EDITORS)])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nova-editor", "wrong")
    response = sign_in(client, other.username, "password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_success_clears_the_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "nova-editor", "wrong")
    assert sign_in(client, "nova-editor", "password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "nova-editor", "wrong").status_code == 200


# --- session lifetime -----------------------------------------------------------------


def test_a_session_ends_with_the_browser_unless_remembered_and_lasts_a_working_day(client, editor):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sign_in(client, "nova-editor", "password")
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    client.logout()
    sign_in(client, "nova-editor", "password", remember="on")
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# --- the second factor -------------------------------------------------------------------


def code_for(key: str) -> str:
    return f"{TOTP(unhexlify(key.encode())).token():06d}"


def set_up_device(client) -> TOTPDevice:
    client.get(reverse("clinics_two_factor_setup"))
    key = client.session[two_factor.SESSION_KEY]
    response = client.post(
        reverse("clinics_two_factor_setup"), {"code": code_for(key), "next": "/admin/pages/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    return TOTPDevice.objects.get(key=key)


def test_the_second_factor_is_optional_by_default(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_a_required_group_reaches_no_admin_view_before_setting_up_a_device(
    client, editor, settings
):
    settings.ADMIN_2FA_REQUIRED_GROUPS = [NOVA_EDITORS]
    client.force_login(editor)
    for url in ("/admin/", "/admin/pages/", "/admin/api/main/pages/", "/admin/images/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("clinics_two_factor_setup")), url
    page = client.get(reverse("clinics_two_factor_setup"))
    assert page.status_code == 200 and b"data-two-factor-key" in page.content
    assert client.get("/admin/jsi18n/").status_code == 200  # what the page itself loads

    # A wrong code saves nothing.
    response = client.post(reverse("clinics_two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200 and b"not right" in response.content
    assert not TOTPDevice.objects.filter(user=editor).exists()

    set_up_device(client)
    assert client.get("/admin/").status_code == 200


def test_a_device_once_set_up_is_asked_for_at_each_sign_in(client, editor, settings):
    client.force_login(editor)
    device = set_up_device(client)  # opted in, not required
    client.logout()
    client.force_login(editor)
    response = client.get("/admin/pages/")
    assert response["Location"].startswith(reverse("clinics_two_factor_verify"))
    # A password alone cannot add another device.
    response = client.get(reverse("clinics_two_factor_setup"))
    assert response["Location"].startswith(reverse("clinics_two_factor_verify"))

    assert client.post(reverse("clinics_two_factor_verify"), {"code": "12"}).status_code == 200
    device.refresh_from_db()
    device.last_t = -1  # the code used at setup may still be current: accept it once more
    device.save()
    response = client.post(
        reverse("clinics_two_factor_verify"),
        {"code": code_for(device.key), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/pages/").status_code in (200, 302)
    assert not client.get("/admin/pages/").get("Location", "").startswith("/admin/two-factor/")


def test_every_admin_user_when_the_central_team_says_so(client, editor, settings):
    settings.ADMIN_2FA_REQUIRED_GROUPS = ["*"]
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith(reverse("clinics_two_factor_setup"))


def test_public_pages_never_look_at_the_second_factor(client, editor, settings):
    settings.ADMIN_2FA_REQUIRED_GROUPS = ["*"]
    client.force_login(editor)
    assert client.get("/robots.txt", HTTP_HOST="nova.localhost").status_code == 200
