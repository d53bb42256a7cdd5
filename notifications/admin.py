from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from agenda import selectors as agenda_selectors

from . import services
from .enums import DeliveryStatus
from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient", "event", "status", "attempts", "scheduled_for",
                    "sent_at")
    list_filter = ("status", "kind", "scheduled_for")
    search_fields = ("registration__email", "registration__name", "registration__event__title")
    date_hierarchy = "scheduled_for"
    list_select_related = ("registration", "registration__event")
    readonly_fields = ("registration", "kind", "message", "scheduled_for", "status", "context",
                       "attempts",
                       "next_attempt_at", "last_error", "created_at", "sent_at")
    actions = ("retry_selected",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        organized = agenda_selectors.organized_events(request.user).values("pk")
        return queryset.filter(registration__event__in=organized)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("recipient"), ordering="registration__email")
    def recipient(self, delivery: Delivery) -> str:
        return delivery.registration.email

    @admin.display(description=_("event"), ordering="registration__event__start")
    def event(self, delivery: Delivery) -> str:
        return delivery.registration.event.title

    @admin.action(description=_("Retry selected failed deliveries"), permissions=["change"])
    def retry_selected(self, request, queryset):
        count = services.retry_failed(deliveries=queryset.filter(status=DeliveryStatus.FAILED))
        self.message_user(request, _("%(count)d delivery(ies) queued again.") % {"count": count},
                          messages.SUCCESS)
