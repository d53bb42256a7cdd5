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
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet

ModelT = TypeVar("ModelT", bound=Model)


def statement_cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor for a statement the hot paths run again and again: one the database prepares
    where it can (``config.db.postgresql``: planned once per connection, not per run), a
    plain one elsewhere."""
    database = connections[using]
    preparable = getattr(database, "preparable_cursor", None)
    return preparable() if preparable is not None else database.cursor()


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
        with statement_cursor(using) as cursor:
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


class ComposedInsert(Generic[ModelT]):
    """``Model.save()`` of a new instance of ``model``, its INSERT composed once per database.

    Does what ``save(force_insert=True)`` does for a model with an auto primary key: sends
    ``pre_save``, fills the fields' ``pre_save`` values (``auto_now_add``, defaults given),
    inserts every concrete field but the auto key, sets what the database returned (the
    key), marks the instance saved, sends ``post_save`` (``created=True``). Not for models
    with generated fields, database defaults or parents; nor for values that are
    expressions. tests/agenda/test_composed.py compares its rows with ``save()``'s.
    """

    def __init__(self, model: type[ModelT]) -> None:
        meta = model._meta
        if meta.parents or any(
            getattr(field, "generated", False) or field.has_db_default()
            for field in meta.local_concrete_fields
        ) or meta.auto_field is None:
            raise ImproperlyConfigured(f"{model.__name__} cannot be inserted by ComposedInsert.")
        self.model = model
        self.fields = [field for field in meta.local_concrete_fields
                       if field is not meta.auto_field]
        self.returning = meta.db_returning_fields
        self._composed: dict[str, tuple] = {}

    def _compiler(self, instance: ModelT, using: str):
        from django.db.models.sql import InsertQuery

        query = InsertQuery(self.model)
        query.insert_values(self.fields, [instance])
        compiler = query.get_compiler(using)
        compiler.returning_fields = self.returning
        return compiler

    def save(self, instance: ModelT, *, using: str = DEFAULT_DB_ALIAS) -> ModelT:
        from django.db.models import signals

        model = self.model
        instance._prepare_related_fields_for_save(operation_name="save")
        signals.pre_save.send(sender=model, instance=instance, raw=False, using=using,
                              update_fields=None)
        connection = connections[using]
        for field in self.fields:
            # An expression would be composed into the SQL itself (and into every later
            # INSERT's): refused before anything is composed.
            if hasattr(getattr(instance, field.attname), "resolve_expression"):
                raise ImproperlyConfigured(
                    f"{model.__name__}.{field.name} is an expression: use save().")
        composed = self._composed.get(using)
        if composed is None:
            compiler = self._compiler(instance, using)
            ((sql, _params),) = compiler.as_sql()
            if not connection.features.can_return_columns_from_insert:
                raise ImproperlyConfigured("ComposedInsert needs INSERT … RETURNING.")
            converters = compiler.get_converters(
                [field.get_col(model._meta.db_table) for field in self.returning])
            composed = self._composed[using] = (compiler, sql, converters)
        compiler, sql, converters = composed
        params = []
        for field in self.fields:
            value = compiler.pre_save_val(field, instance)
            if hasattr(value, "resolve_expression"):
                raise ImproperlyConfigured(
                    f"{model.__name__}.{field.name} became an expression: use save().")
            params.append(compiler.prepare_value(field, value))
        # As save(): a failed INSERT inside atomic() marks the block for rollback.
        with transaction.mark_for_rollback_on_error(using), statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchone()
        if converters:
            (returned,) = compiler.apply_converters([returned], converters)
        for field, value in zip(self.returning, returned, strict=True):
            setattr(instance, field.attname, value)
        instance._state.adding = False
        instance._state.db = using
        signals.post_save.send(sender=model, instance=instance, created=True,
                               update_fields=None, raw=False, using=using)
        return instance
