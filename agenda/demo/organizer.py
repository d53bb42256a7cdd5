"""A demo organizer, so that a newcomer can look around the organizer area after `make run`.

Made only when asked (``load_demo_agenda --demo-organizer``, which `make run` passes): its
password is public, so no deployment should have it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from agenda import services
from agenda.enums import Role
from agenda.models import Event, EventRole

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_ORGANIZER_PASSWORD = "demo-organizer-2021"  # noqa: S105 (public on purpose: a demo)
DEMO_ORGANIZER_EVENT = "responsible-business-forum-berlin"


def ensure_demo_organizer() -> EventRole | None:
    """The demo organizer's role for the demo forum (account made, password set, if missing)."""
    event = Event.objects.filter(slug=DEMO_ORGANIZER_EVENT).first()
    if event is None:
        return None
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=DEMO_ORGANIZER_EMAIL).first()
        if user is None:
            user = User(username=DEMO_ORGANIZER_EMAIL, email=DEMO_ORGANIZER_EMAIL,
                        first_name="Demo", last_name="Organizer")
            user.set_password(DEMO_ORGANIZER_PASSWORD)
            user.save()
        return services.grant_role(event=event, user=user, role=Role.ORGANIZER)
