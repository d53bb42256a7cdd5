"""Emails to organizers and helpers about their account: the link to set a password, sent
when an account is made for a role, or when its owner asks for a new password.

Sent by a worker like every other email; the link is Django's password-reset token (valid
for PASSWORD_RESET_TIMEOUT, spent once the password changes).
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agenda.models import Event

PURPOSES = ("invitation", "password_reset")


def password_link(user) -> str:
    path = reverse("orga:password-set", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })
    return f"{settings.SITE_URL}{path}"


@shared_task(name="notifications.send_account_email", bind=True, max_retries=6,
             default_retry_delay=60)
def send_account_email(self, user_id: int, purpose: str, event_id: int | None = None) -> None:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or purpose not in PURPOSES:
        return
    context = {
        "user": user,
        "link": password_link(user),
        "event": Event.objects.filter(pk=event_id).first() if event_id else None,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"notifications/email/account_{purpose}_subject.txt", context)
    body = render_to_string(f"notifications/email/account_{purpose}.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except OSError as error:
        raise self.retry(exc=error) from error


def queue_account_email(*, user_id: int, purpose: str, event_id: int | None = None) -> None:
    transaction.on_commit(lambda: send_account_email.delay(user_id, purpose, event_id))


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form (it says nothing about whether the address has an account), with the
    email sent by a worker instead of inside the request."""

    def save(self, *args, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            queue_account_email(user_id=user.pk, purpose="password_reset")
