"""Addresses registered before ``addresses.normalize_email`` existed get their domain in the
IDNA form new registrations store, so that the duplicate check finds them. A row whose
normalized address would collide with another live one (the old comparisons let such pairs in)
keeps its address as it was."""

from django.db import IntegrityError, migrations, transaction


def normalize(apps, schema_editor):
    from registrations.addresses import normalize_email

    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.only("pk", "email").iterator():
        if registration.email.isascii():
            continue
        try:
            email = normalize_email(registration.email)
        except ValueError:
            continue
        if email == registration.email:
            continue
        try:
            with transaction.atomic():
                Registration.objects.filter(pk=registration.pk).update(email=email)
        except IntegrityError:
            continue


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0003_registration_timezone"),
    ]

    operations = [
        migrations.RunPython(normalize, migrations.RunPython.noop),
    ]
