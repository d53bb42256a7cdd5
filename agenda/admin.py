"""Organizer admin for the agenda.

Organizers (staff who are not superusers) see and edit only the events they organize. Every
save goes through ``agenda.services`` so the calendar revision and domain signals follow.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import images, permissions, selectors, services
from .admin_forms import EventAdminForm, SessionAdminForm
from .enums import Role
from .errors import DomainError
from .models import AuditEntry, Event, EventRole, Room, Session, Speaker, Tag, Track
from .permissions import Permission


class OrganizerScopedAdmin(admin.ModelAdmin):
    """Limits rows to the events the signed-in organizer manages (agenda.permissions)."""

    event_path = "event"
    permission = Permission.CHANGE_EVENT

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return permissions.scope_to_events(
            super().get_queryset(request), request.user, self.permission,
            event_path=self.event_path,
        )

    def apply_service(self, request, rows, service, *, argument: str, done: str, **kwargs) -> None:
        """An admin action: call ``service`` for each row (as keyword ``argument``), then say
        how many it changed and why any was refused."""
        succeeded, refused = 0, []
        for row in rows:
            try:
                service(**{argument: row}, **kwargs)
            except DomainError as error:
                refused.append(f"{row}: {error.message}")
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)
        for problem in refused[:20]:
            self.message_user(request, problem, messages.ERROR)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.organized_events(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventTimezoneMixin:
    """Shows and reads times in the event's zone on its change page."""

    def event_of(self, obj) -> Event | None:
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        event = self.event_of(obj) if obj is not None else None
        if event is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(event.tzinfo):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: a TemplateResponse renders lazily otherwise.
            if hasattr(response, "render"):
                response.render()
            return response


class SessionInline(admin.TabularInline):
    model = Session
    form = SessionAdminForm
    extra = 0
    fields = ("title", "start", "end", "room", "track", "speakers", "capacity", "status")
    autocomplete_fields = ("speakers",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("room", "track", "event")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the rooms and tracks of the event being edited.
        event_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name in ("room", "track"):
            related = Room if db_field.name == "room" else Track
            kwargs["queryset"] = related.objects.filter(event_id=event_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventRoleInline(admin.TabularInline):
    """The event's team. Roles are granted and revoked through ``agenda.services`` (the
    organizer area's team page does the same, by email address)."""

    model = EventRole
    fk_name = "event"
    extra = 0
    fields = ("user", "role", "granted_by", "granted_at")
    readonly_fields = ("granted_by", "granted_at")
    # A bare id box, not a list of every account of the site.
    raw_id_fields = ("user",)
    verbose_name_plural = _("team")

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Event)
class EventAdmin(EventTimezoneMixin, OrganizerScopedAdmin):
    form = EventAdminForm
    event_path = "pk"
    list_display = (
        "title", "kind", "format", "local_start_display", "timezone", "status", "capacity",
    )
    list_filter = ("status", "kind", "format", "timezone", "tags")
    search_fields = ("title", "slug", "summary", "venue_name", "venue_address")
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    readonly_fields = ("uuid", "sequence", "created_at", "updated_at")
    inlines = (TrackInline, RoomInline, SessionInline, EventRoleInline)
    actions = ("publish_selected", "cancel_selected")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "kind", "format",
                           "status", "tags")}),
        (_("When"), {"fields": ("timezone", "start", "end")}),
        (_("Where"), {"fields": ("venue_name", "venue_address", "online_url")}),
        (_("Registration"), {"fields": ("capacity", "registration_opens_at",
                                        "registration_closes_at", "requires_approval",
                                        "reminder_offsets")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email")}),
        (_("Record"), {"classes": ("collapse",),
                       "fields": ("uuid", "sequence", "created_at", "updated_at")}),
    )

    @admin.display(description=_("starts (local time)"), ordering="start")
    def local_start_display(self, event: Event) -> str:
        return f"{event.local_start:%Y-%m-%d %H:%M}"

    def save_model(self, request, obj, form, change):
        services.save_event(event=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not request.user.is_superuser:
            # Whoever creates an event organizes it, or they could not see it afterwards.
            services.grant_role(event=form.instance, user=request.user, role=Role.ORGANIZER,
                                granted_by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is EventRole:
            return self._save_roles(request, form, formset)
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        sessions = formset.save(commit=False)
        for session in formset.deleted_objects:
            services.delete_session(session=session)
        for session in sessions:
            services.save_session(session=session)
        formset.save_m2m()
        return None

    def _save_roles(self, request, form, formset) -> None:
        event = form.instance
        new_roles = formset.save(commit=False)
        for event_role in formset.deleted_objects:
            services.revoke_role(event=event, user=event_role.user, role=event_role.role)
        for event_role in new_roles:
            services.grant_role(event=event, user=event_role.user, role=event_role.role,
                                granted_by=request.user)

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self.apply_service(request, queryset, services.publish_event, argument="event",
                           done=_("%(count)d event(s) published."))

    @admin.action(description=_("Cancel selected events"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self.apply_service(request, queryset, services.cancel_event, argument="event",
                           done=_("%(count)d event(s) cancelled."))


@admin.register(Session)
class SessionAdmin(EventTimezoneMixin, OrganizerScopedAdmin):
    form = SessionAdminForm
    list_display = ("title", "event", "local_start_display", "room", "track", "status", "capacity")
    list_filter = (
        "status", "event__kind", "track__name", ("event", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "abstract", "event__title", "speakers__role",
                     "speakers__organization", "speakers__name")
    date_hierarchy = "start"
    autocomplete_fields = ("speakers",)
    list_select_related = ("event", "room", "track")
    readonly_fields = ("uuid", "sequence", "created_at", "updated_at")
    actions = ("cancel_selected",)

    def event_of(self, session: Session) -> Event:
        return session.event

    @admin.display(description=_("starts (local time)"), ordering="start")
    def local_start_display(self, session: Session) -> str:
        return f"{session.local_start:%Y-%m-%d %H:%M}"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        object_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name in ("room", "track"):
            related = Room if db_field.name == "room" else Track
            if object_id:
                kwargs["queryset"] = related.objects.filter(event__sessions__pk=object_id)
            else:
                kwargs["queryset"] = permissions.scope_to_events(
                    related.objects.select_related("event"), request.user,
                    Permission.CHANGE_EVENT,
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_session(session=obj)

    def delete_model(self, request, obj):
        services.delete_session(session=obj)

    def delete_queryset(self, request, queryset):
        for session in queryset.select_related("event"):
            services.delete_session(session=session)

    @admin.action(description=_("Cancel selected sessions"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self.apply_service(request, queryset.select_related("event"), services.cancel_session,
                           argument="session", done=_("%(count)d session(s) cancelled."))


class SharedAcrossEventsAdmin(admin.ModelAdmin):
    """Speakers and topics are shared between events: an organizer may change or delete one
    only when they run every event that uses it (agenda.permissions.may_change_shared)."""

    def events_using(self, obj) -> QuerySet[Event]:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.may_change_shared(request.user, self.events_using(obj))

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or permissions.may_change_shared(request.user, self.events_using(obj))

    def delete_queryset(self, request, queryset):
        # The bulk action checks each row too, not only the page it was offered on.
        for obj in queryset:
            if not permissions.may_change_shared(request.user, self.events_using(obj)):
                raise PermissionDenied
        super().delete_queryset(request, queryset)


class SpeakerAdminForm(forms.ModelForm):
    """The speaker, and a photo to upload (``services.set_speaker_photo`` resizes it)."""

    photo_upload = forms.FileField(
        label=_("new photo"), required=False,
        help_text=_("JPEG, PNG or WebP, under 10 MB; it is resized and cropped for lists."),
    )
    remove_photo = forms.BooleanField(label=_("remove the photo"), required=False)

    class Meta:
        model = Speaker
        fields = ("name", "role", "organization", "bio", "links")

    def clean_photo_upload(self):
        upload = self.cleaned_data["photo_upload"]
        if upload is None:
            return None
        try:
            return images.resize_photo(upload)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


@admin.register(Speaker)
class SpeakerAdmin(SharedAcrossEventsAdmin):
    form = SpeakerAdminForm
    list_display = ("display_name", "role", "organization", "session_count")
    search_fields = ("name", "role", "organization")
    list_filter = ("organization",)
    readonly_fields = ("photo_preview",)
    fields = ("name", "role", "organization", "bio", "links", "photo_preview", "photo_upload",
              "remove_photo")

    @admin.display(description=_("photo"))
    def photo_preview(self, speaker: Speaker) -> str:
        if not speaker.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" width="120" height="120">',
                           speaker.thumbnail.url)

    def save_model(self, request, obj, form, change):
        obj.full_clean()
        obj.save()
        resized = form.cleaned_data.get("photo_upload")
        if resized is not None:
            services.store_speaker_photo(speaker=obj, resized=resized)
        elif form.cleaned_data.get("remove_photo"):
            services.set_speaker_photo(speaker=obj, upload=None)

    def events_using(self, speaker: Speaker) -> QuerySet[Event]:
        return Event.objects.filter(sessions__speakers=speaker).distinct()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, speaker: Speaker) -> int:
        return speaker.session_count


@admin.register(Track)
class TrackAdmin(OrganizerScopedAdmin):
    list_display = ("name", "event", "slug", "color")
    list_filter = (("event", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "event__title")
    list_select_related = ("event",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Room)
class RoomAdmin(OrganizerScopedAdmin):
    list_display = ("name", "event", "capacity")
    list_filter = (("event", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "event__title")
    list_select_related = ("event",)


@admin.register(Tag)
class TagAdmin(SharedAcrossEventsAdmin):
    list_display = ("name", "slug", "event_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def events_using(self, tag: Tag) -> QuerySet[Event]:
        return tag.events.all()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, tag: Tag) -> int:
        return tag.event_count


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganizerScopedAdmin):
    """The audit log, read-only for everyone."""

    permission = Permission.VIEW_AUDIT_LOG
    list_display = ("created_at", "event_title", "actor_label", "via", "action", "object_type",
                    "object_repr")
    list_filter = ("via", "action", "object_type")
    search_fields = ("event_title", "actor_label", "object_repr")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
