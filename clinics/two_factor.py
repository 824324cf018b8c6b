"""The admin's second factor: a TOTP code from an authenticator app (django-otp).

Optional for every editor (Account → "Two-factor authentication" sets it up), and
required by the central team for whole groups: ``ADMIN_2FA_REQUIRED_GROUPS`` names them
(``*``: every admin user). An editor who must verify, or who has set a device up, reaches
no admin view but these until their session is verified: without a device they are sent
to set one up, with one to enter a code. Verification lasts the session (its lifetime:
``SESSION_COOKIE_AGE``).

Setting up writes nothing until a code is right: the new key waits in the session.
django-otp throttles wrong codes per device (``OTP_TOTP_THROTTLE_FACTOR``).
"""

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

SESSION_KEY = "clinics_two_factor_pending_key"
# Admin URLs an unverified editor may still reach: these views, signing in and out,
# and what the admin's pages load (translations, icons).
OPEN_URL_NAMES = (
    "clinics_two_factor_setup",
    "clinics_two_factor_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
)


def required_for(user) -> bool:
    """Whether the central team requires a second factor of `user`."""
    groups = set(getattr(settings, "ADMIN_2FA_REQUIRED_GROUPS", ()))
    if not groups:
        return False
    if "*" in groups:
        return True
    return user.groups.filter(name__in=groups).exists()


def must_verify(user) -> bool:
    """An authenticated user whose session is not verified, and who has a device or is
    required to have one."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user) or required_for(user)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: admin requests of a user who must verify go to
    the setup or verify view. Other paths are not looked at (the public pages never
    load the user)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None
        self._open_paths = None

    def open_paths(self):
        if self._open_paths is None:
            self._admin_prefix = reverse("wagtailadmin_home")
            self._open_paths = tuple(reverse(name) for name in OPEN_URL_NAMES) + (
                f"{self._admin_prefix}password_reset/",
            )
        return self._admin_prefix, self._open_paths

    def __call__(self, request):
        admin_prefix, open_paths = self.open_paths()
        if (
            request.path.startswith(admin_prefix)
            and not request.path.startswith(open_paths)
            and must_verify(request.user)
        ):
            view = "verify" if user_has_device(request.user) else "setup"
            target = reverse(f"clinics_two_factor_{view}")
            return redirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code your app shows.")
        return code


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def render(request, form, **context):
    return TemplateResponse(
        request,
        "clinics/two_factor.html",
        {
            "form": form,
            "next": next_url(request),
            "required": required_for(request.user),
            **context,
        },
    )


def setup_view(request):
    """Shows a new key (an otpauth:// link and the key itself) and confirms it with a
    code; the device is saved only then."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # A password alone must not add a device: verify with the one there is first.
        return redirect(f"{reverse('clinics_two_factor_verify')}?next={quote(next_url(request))}")
    key = request.session.get(SESSION_KEY) or default_key()
    request.session[SESSION_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(unhexlify(key.encode()))
        if totp.verify(int(form.cleaned_data["code"]), tolerance=1):
            device = TOTPDevice.objects.create(
                user=user, name="Authenticator app", key=key, confirmed=True
            )
            device.last_t = totp.t()
            device.save(update_fields=["last_t"])
            del request.session[SESSION_KEY]
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error("code", "That code is not right. Check your device's clock and try again.")
    secret = b32encode(unhexlify(key.encode())).decode()
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Clinic network")
    label = quote(f"{issuer}:{user.get_username()}")
    link = f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits=6"
    return render(request, form, mode="setup", secret=secret, link=link)


def verify_view(request):
    user = request.user
    if not user_has_device(user):
        return redirect(f"{reverse('clinics_two_factor_setup')}?next={quote(next_url(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error("code", "That code is not right (or too many tries: wait a moment).")
    return render(request, form, mode="verify", devices=list(devices_for_user(user)))


urlpatterns = [
    path("two-factor/setup/", setup_view, name="clinics_two_factor_setup"),
    path("two-factor/verify/", verify_view, name="clinics_two_factor_verify"),
]
