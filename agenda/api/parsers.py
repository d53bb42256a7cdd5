"""The API's JSON parser: DRF's, refusing input nested deeper than any request needs.

Python's JSON decoder recurses once per level: about a thousand nested ``[`` raise
``RecursionError`` (a 500), and a little fewer pass the parser only to recurse again in
validation and error rendering. No request body of this API nests deeper than a few levels.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_too_deep())
        return data


def _too_deep() -> str:
    return _("JSON parse error - nested deeper than %(depth)d levels.") % {"depth": MAX_DEPTH}


def _depth_exceeds(data, limit: int) -> bool:
    """Whether arrays and objects nest in ``data`` deeper than ``limit`` (without recursing)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
