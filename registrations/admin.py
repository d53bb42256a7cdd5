"""Organizer admin for registrations, and registration counts on the agenda's event list.

Status changes happen only through actions, each calling the same service an attendee's own
action calls, so capacity and waitlist rules hold whoever acts.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agenda import selectors as agenda_selectors
from agenda.admin import EventAdmin, OrganizerScopedAdmin
from agenda.filters import record_id
from agenda.models import Event, Session

from . import exports, services
from .enums import CancelledBy, RegistrationStatus, SessionChoiceStatus
from .models import Question, Registration, SessionChoice


class SessionListFilter(admin.SimpleListFilter):
    title = _("session")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        sessions = Session.objects.select_related("event").order_by("event__start", "start")
        if not request.user.is_superuser:
            sessions = sessions.filter(
                event__in=agenda_selectors.organized_events(request.user)
            )
        event_id = record_id(request.GET.get("event__id__exact", ""))
        if event_id is not None:
            sessions = sessions.filter(event_id=event_id)
        return [(session.pk, f"{session.event.title} · {session.title}") for session in sessions]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                session_choices__session_id=self.value(),
                session_choices__status__in=(
                    SessionChoiceStatus.CONFIRMED, SessionChoiceStatus.WAITLISTED,
                ),
            )
        return queryset


class SessionChoiceInline(admin.TabularInline):
    model = SessionChoice
    extra = 0
    fields = ("session", "status", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(OrganizerScopedAdmin):
    list_display = ("name", "email", "organization", "event", "status", "created_at",
                    "checked_in_at")
    list_filter = ("status", ("event", admin.RelatedOnlyFieldListFilter), SessionListFilter,
                   "created_at", "checked_in_at")
    search_fields = ("name", "email", "organization")
    date_hierarchy = "created_at"
    list_select_related = ("event",)
    inlines = (SessionChoiceInline,)
    readonly_fields = (
        "public_id", "event", "email", "status", "consent_version", "consented_at",
        "created_at", "updated_at", "confirmed_at", "cancelled_at", "cancelled_by",
        "checked_in_at", "checked_in_by", "erased_at", "language", "timezone",
    )
    fields = ("event", "name", "email", "organization", "status", "language", "timezone",
              "consent_version", "consented_at", "created_at", "confirmed_at",
              "cancelled_at", "cancelled_by", "checked_in_at", "checked_in_by", "erased_at",
              "public_id")
    actions = ("approve_selected", "cancel_selected", "promote_selected", "check_in_selected",
               "undo_check_in_selected", "export_csv", "export_xlsx")

    def has_add_permission(self, request):
        # Registrations come through the public flow, which checks consent and capacity.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would keep its seat taken and skip the waitlist: cancel instead (the
        # seat goes to the next person waiting), or erase the person's data.
        return False

    def _for_each(self, request, queryset, service, done: str, **kwargs) -> None:
        self.apply_service(request, queryset.order_by("pk"), service,
                           argument="registration", done=done, **kwargs)

    @admin.action(description=_("Approve selected (seat if free, else waitlist)"),
                  permissions=["change"])
    def approve_selected(self, request, queryset):
        self._for_each(request, queryset, services.approve_registration,
                       _("%(count)d registration(s) approved."))

    @admin.action(description=_("Cancel selected registrations"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self._for_each(request, queryset, services.cancel_registration,
                       _("%(count)d registration(s) cancelled; freed seats went to the waitlist."),
                       cancelled_by=CancelledBy.ORGANIZER)

    @admin.action(description=_("Promote selected from the waitlist (adds a seat each)"),
                  permissions=["change"])
    def promote_selected(self, request, queryset):
        self._for_each(request, queryset, services.promote_registration,
                       _("%(count)d registration(s) promoted."))

    @admin.action(description=_("Check in selected attendees"), permissions=["change"])
    def check_in_selected(self, request, queryset):
        self._for_each(request, queryset, services.check_in,
                       _("%(count)d attendee(s) checked in."))

    @admin.action(description=_("Undo the check-in of selected attendees"),
                  permissions=["change"])
    def undo_check_in_selected(self, request, queryset):
        self._for_each(request, queryset, services.undo_check_in,
                       _("%(count)d check-in(s) undone."))

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(queryset.order_by("event__start", "pk"))

    @admin.action(description=_("Export selected as XLSX"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(queryset.order_by("event__start", "pk"))

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("registrations.export_attendees")


class QuestionAdminForm(forms.ModelForm):
    """A question, its options typed one a line: ``English | French``, or
    ``value | English | French`` to keep a value when rewording (answers store the value)."""

    options_text = forms.CharField(
        label=_("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
        help_text=_("Choice questions: one option a line, “English | French”."),
    )

    class Meta:
        model = Question
        fields = ("position", "text_en", "text_fr", "help_en", "help_fr", "kind", "required")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options_text"].initial = "\n".join(
            " | ".join((option["value"], option["en"], option.get("fr", "")))
            for option in self.instance.options or ()
        )

    def clean_options_text(self) -> list[dict[str, str]]:
        options = []
        for line in self.cleaned_data["options_text"].splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not any(parts):
                continue
            if len(parts) > 3:
                raise forms.ValidationError(
                    _("Too many “|” in “%(line)s”: write “English | French”."),
                    params={"line": line},
                )
            if len(parts) == 3:
                value, english, french = parts
            else:
                value, english, french = "", parts[0], parts[1] if len(parts) == 2 else ""
            value = value or slugify(english)[:50]
            if not english or not value:
                raise forms.ValidationError(
                    _("The option “%(line)s” needs an English text."), params={"line": line}
                )
            options.append({"value": value, "en": english, "fr": french})
        return options

    def _post_clean(self) -> None:
        self.instance.options = self.cleaned_data.get("options_text", self.instance.options)
        super()._post_clean()

    def _update_errors(self, errors) -> None:
        # The model speaks of "options"; the form shows them as "options_text".
        if hasattr(errors, "error_dict") and "options" in errors.error_dict:
            errors.error_dict["options_text"] = errors.error_dict.pop("options")
        super()._update_errors(errors)


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 0
    fields = (("position", "kind", "required"), ("text_en", "text_fr"), ("help_en", "help_fr"),
              "options_text")
    verbose_name = _("registration question")
    verbose_name_plural = _("registration questions")


admin.site.unregister(Event)


@admin.register(Event)
class EventWithRegistrationsAdmin(EventAdmin):
    """The agenda's event admin, with how many have registered."""

    list_display = (*EventAdmin.list_display, "confirmed_count", "waitlisted_count",
                    "pending_count")
    inlines = (*EventAdmin.inlines, QuestionInline)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        questions = formset.save(commit=False)
        for question in formset.deleted_objects:
            services.delete_question(question=question)
        for question in questions:
            services.save_question(question=question)
        return None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
            pending_count=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.PENDING_APPROVAL),
            ),
        )

    def _registrations_link(self, event: Event, count: int, status: str):
        url = reverse("admin:registrations_registration_changelist")
        return format_html(
            '<a href="{}?event__id__exact={}&status__exact={}">{}</a>', url, event.pk, status, count
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, event: Event):
        return self._registrations_link(event, event.confirmed_count, RegistrationStatus.CONFIRMED)

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
    def waitlisted_count(self, event: Event):
        return self._registrations_link(
            event, event.waitlisted_count, RegistrationStatus.WAITLISTED
        )

    @admin.display(description=_("pending"), ordering="pending_count")
    def pending_count(self, event: Event):
        return self._registrations_link(
            event, event.pending_count, RegistrationStatus.PENDING_APPROVAL
        )

