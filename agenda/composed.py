"""Queries the ORM composes once and the database then runs many times.

Composing a queryset's SQL (resolving lookups, joins and expressions, quoting names) costs
more CPU than the database spends running a small indexed query: on the registration path,
each ORM read took 0.5–1 ms of the web process against about 0.1 ms in PostgreSQL, and a rush
of registrations is bound by that CPU. A ``ComposedQuery`` asks the ORM for a queryset's SQL
once per database, built with placeholder values, then runs that SQL with the real values in
their place, converting the rows as the ORM would. The SQL is the ORM's own, so it cannot
drift from the plain queryset, which stays the reference: tests run both on the same data.

Only for querysets whose values reach the SQL as parameters unchanged (ids, slugs, text),
each placeholder standing for exactly one parameter; composing refuses anything else.
"""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

ModelT = TypeVar("ModelT", bound=Model)


class _Composed:
    __slots__ = ("compiler", "converters", "params", "positions", "sql")

    def __init__(self, queryset: QuerySet, placeholders: dict[str, Any], alias: str) -> None:
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, value in placeholders.items():
            found = [index for index, param in enumerate(params)
                     if type(param) is type(value) and param == value]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"The placeholder {name}={value!r} must be exactly one parameter of "
                    f"the composed SQL; its parameters are {params!r}."
                )
            positions[name] = found[0]
        self.compiler = compiler
        self.sql = sql
        self.params = tuple(params)
        self.positions = positions
        self.converters = compiler.get_converters(
            [expression for expression, _sql, _alias in compiler.select]
        )


class ComposedQuery(Generic[ModelT]):
    """``build(**placeholders)`` gives the queryset; ``instances(**values)`` and
    ``rows(**values)`` run it with ``values`` in the placeholders' places.

    ``instances`` is for a queryset of model rows, annotations allowed (no ``values()``,
    ``select_related`` or deferred fields); ``rows`` gives the converted tuples of a
    ``values_list()`` queryset.
    """

    def __init__(self, build: Callable[..., QuerySet], **placeholders: Any) -> None:
        self._build = build
        self._placeholders = placeholders
        self._composed: dict[str, _Composed] = {}

    def _for(self, alias: str) -> _Composed:
        composed = self._composed.get(alias)
        if composed is None:
            composed = _Composed(self._build(**self._placeholders), self._placeholders, alias)
            self._composed[alias] = composed
        return composed

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple]:
        composed = self._for(using)
        params = list(composed.params)
        for name, position in composed.positions.items():
            params[position] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(composed.sql, params)
            fetched = cursor.fetchall()
        if composed.converters:
            return [tuple(row) for row in composed.compiler.apply_converters(
                fetched, composed.converters)]
        return fetched

    def instances(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[ModelT]:
        composed = self._for(using)
        compiler = composed.compiler
        klass_info = compiler.klass_info
        if klass_info is None or compiler.query.values_select or klass_info.get(
                "related_klass_infos"):
            raise ImproperlyConfigured("instances() needs a queryset of model rows.")
        model = compiler.query.model
        names = [field.attname for field in model._meta.concrete_fields]
        fields = klass_info["select_fields"]
        if fields != list(range(len(names))):
            raise ImproperlyConfigured(
                "instances() needs every concrete field of the model, first in the SELECT."
            )
        annotations = compiler.annotation_col_map.items()
        made = []
        for row in self.rows(using=using, **values):
            instance = model.from_db(using, names, row[:len(names)])
            for name, position in annotations:  # as ModelIterable sets them
                setattr(instance, name, row[position])
            made.append(instance)
        return made

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> ModelT | None:
        found = self.instances(using=using, **values)
        return found[0] if found else None
