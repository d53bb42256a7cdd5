from django import template

register = template.Library()


@register.filter
def may(request, permission: str) -> bool:
    """``{% if request|may:"check_in" %}``: whether the signed-in person may do that to the
    page's event (``event_view`` put their permissions on the request)."""
    return permission in getattr(request, "event_permissions", ())
