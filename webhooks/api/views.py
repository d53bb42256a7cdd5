"""Organizers' webhooks through the API: register, change, rotate the secret, read the
delivery log, redeliver. Allowed by ``agenda.permissions`` (``MANAGE_WEBHOOKS``)."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from agenda import permissions
from agenda.api.access import OrganizerMixin, deny, require
from agenda.api.schema_errors import ORGANIZER_READ, ORGANIZER_WRITE, error_responses
from agenda.permissions import Permission
from webhooks import services
from webhooks.enums import EventType
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

from .serializers import (
    DeliverySerializer,
    WebhookInputSerializer,
    WebhookSerializer,
    WebhookWithSecretSerializer,
)


def visible_webhooks(user) -> QuerySet[Webhook]:
    """Hooks ``user`` may manage: their own, and those of events whose webhooks they
    manage."""
    if permissions.is_site_staff(user):
        return Webhook.objects.all()
    events = permissions.events_with_permission(user, Permission.MANAGE_WEBHOOKS)
    return Webhook.objects.filter(Q(owner=user, event__isnull=True) | Q(event__in=events))


class DeliveryPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50


class _WebhookBase(OrganizerMixin, GenericAPIView):
    serializer_class = WebhookSerializer
    queryset = Webhook.objects.none()  # for the schema; each view asks visible_webhooks()

    def webhook(self, pk) -> Webhook:
        hook = visible_webhooks(self.request.user).select_related("event").filter(pk=pk).first()
        if hook is None:
            raise Http404
        return hook


class WebhookListView(_WebhookBase):
    pagination_class = None

    @extend_schema(summary="Your webhooks", responses={200: WebhookSerializer(many=True),
                                                        **error_responses(401, 429)})
    def get(self, request: Request) -> Response:
        hooks = visible_webhooks(request.user).select_related("event").order_by("pk")
        return Response(WebhookSerializer(hooks, many=True).data)

    @extend_schema(summary="Register a webhook (the answer holds its secret, once)",
                   request=WebhookInputSerializer,
                   responses={201: WebhookWithSecretSerializer,
                              **error_responses(*ORGANIZER_WRITE)})
    def post(self, request: Request) -> Response:
        form = WebhookInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        event = data.get("event")
        if event is not None:
            require(request.user, event, Permission.MANAGE_WEBHOOKS)
        elif not (permissions.is_site_staff(request.user) or permissions.events_with_permission(
                request.user, Permission.MANAGE_WEBHOOKS).exists()):
            deny(request.user)
        hook = services.create_webhook(
            owner=request.user, url=data["url"], event=event,
            event_types=data.get("event_types") or EventType.values,
            description=data.get("description", ""),
        )
        return Response(WebhookWithSecretSerializer(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(_WebhookBase):
    @extend_schema(summary="A webhook", responses={200: WebhookSerializer,
                                                   **error_responses(*ORGANIZER_READ)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookSerializer(self.webhook(pk)).data)

    @extend_schema(summary="Change a webhook (is_active: true turns a disabled one on)",
                   request=WebhookInputSerializer,
                   responses={200: WebhookSerializer, **error_responses(*ORGANIZER_WRITE)})
    def patch(self, request: Request, pk: int) -> Response:
        hook = self.webhook(pk)
        form = WebhookInputSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        hook = services.update_webhook(
            webhook=hook, url=data.get("url"), event_types=data.get("event_types"),
            description=data.get("description"), is_active=data.get("is_active"),
        )
        return Response(WebhookSerializer(hook).data)

    @extend_schema(summary="Delete a webhook", responses={204: None,
                                                          **error_responses(*ORGANIZER_READ)})
    def delete(self, request: Request, pk: int) -> Response:
        services.delete_webhook(webhook=self.webhook(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RotateSecretView(_WebhookBase):
    @extend_schema(summary="A new secret (the old one still signs for 24 hours)", request=None,
                   responses={200: WebhookWithSecretSerializer,
                              **error_responses(*ORGANIZER_READ)})
    def post(self, request: Request, pk: int) -> Response:
        hook = services.rotate_secret(webhook=self.webhook(pk))
        return Response(WebhookWithSecretSerializer(hook).data)


class DeliveryListView(_WebhookBase):
    pagination_class = DeliveryPagination
    serializer_class = DeliverySerializer
    queryset = WebhookDelivery.objects.none()

    @extend_schema(summary="A webhook's delivery log, newest first",
                   responses={200: DeliverySerializer(many=True),
                              **error_responses(*ORGANIZER_READ)})
    def get(self, request: Request, pk: int) -> Response:
        hook = self.webhook(pk)
        deliveries = hook.deliveries.prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("-pk"))
        )
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class RedeliverView(_WebhookBase):
    serializer_class = DeliverySerializer

    @extend_schema(summary="Send a delivered or failed message again", request=None,
                   responses={200: DeliverySerializer, **error_responses(*ORGANIZER_WRITE)})
    def post(self, request: Request, pk: int, delivery_id: int) -> Response:
        hook = self.webhook(pk)
        delivery = WebhookDelivery.objects.filter(webhook=hook, pk=delivery_id).first()
        if delivery is None:
            raise Http404
        return Response(DeliverySerializer(services.redeliver(delivery=delivery)).data)
