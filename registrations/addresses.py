"""Email addresses: written down one way, compared one way.

An address is normalized once, when it enters (``normalize_email``): its domain by IDNA
(the ASCII form mail servers use, lower case: ``Example.ORG`` and a ``K`` written as U+212A
KELVIN SIGN become ``example.org`` and ``k``), its local part kept as given (only the
recipient's server may interpret it), and refused unless it is ASCII: Django's validator lets
through the few letters that fold to ASCII ones (KELVIN SIGN, dotless ı, dotted İ, long ſ),
which each database would lower-case its own way. Two addresses are then the same when the
database's ``LOWER`` of them are equal (``same_address``): the very expression of the unique index
``registration_one_live_per_email_and_event``, so the duplicate check and the index can never
disagree (a look-alike domain with a dotless ``ı`` is another domain, and is not refused).
"""

from django.db.models import Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.encoding import punycode


def normalize_email(address: str) -> str:
    """``address`` with its domain in IDNA ASCII form, lower case; ValueError if the domain
    cannot be written so (an address no mail server could deliver to), or if the local part
    is not ASCII."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError("not an email address")
    if not local.isascii():
        raise ValueError("the part before the @ is not ASCII")
    try:
        ascii_domain = punycode(domain.rstrip(".")).lower()
    except UnicodeError as error:
        raise ValueError(f"the domain cannot be written in IDNA: {error}") from error
    return f"{local}@{ascii_domain}"


def address_key(field: str = "email") -> Lower:
    """What addresses are compared by: the expression of the unique index."""
    return Lower(field)


def same_address(address: str, *, field: str = "email") -> Exact:
    """A filter for rows whose ``field`` is ``address`` (normalized), compared as the unique
    index compares: ``queryset.filter(same_address(email))``."""
    return Exact(address_key(field), Lower(Value(normalize_email(address))))
