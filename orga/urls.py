from django.urls import path

from .views import account, dashboard, event, programme

app_name = "orga"

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("password/reset/", account.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", account.PasswordResetDoneView.as_view(),
         name="password-reset-done"),
    path("password/set/<uidb64>/<token>/", account.PasswordSetView.as_view(),
         name="password-set"),
    path("password/set/done/", account.PasswordSetDoneView.as_view(), name="password-set-done"),
    path("events/<slug:slug>/", dashboard.event_dashboard, name="event"),
    # Event work: the event's details, its programme, cloning and previewing it.
    path("events/<slug:slug>/edit/", event.edit, name="event-edit"),
    path("events/<slug:slug>/status/", event.change_status, name="event-status"),
    path("events/<slug:slug>/clone/", event.clone, name="event-clone"),
    path("events/<slug:slug>/preview/", event.preview, name="event-preview"),
    path("events/<slug:slug>/programme/", programme.sessions, name="programme"),
    path("events/<slug:slug>/programme/sessions/new/", programme.session_form,
         name="session-add"),
    path("events/<slug:slug>/programme/sessions/<int:session_id>/", programme.session_form,
         name="session-edit"),
    path("events/<slug:slug>/programme/sessions/<int:session_id>/cancel/",
         programme.session_cancel, name="session-cancel"),
    path("events/<slug:slug>/programme/sessions/<int:session_id>/reinstate/",
         programme.session_reinstate, name="session-reinstate"),
    path("events/<slug:slug>/programme/sessions/<int:session_id>/delete/",
         programme.session_delete, name="session-delete"),
    path("events/<slug:slug>/programme/rooms/", programme.room_list, name="rooms"),
    path("events/<slug:slug>/programme/rooms/<int:pk>/", programme.room_change,
         name="room-change"),
    path("events/<slug:slug>/programme/rooms/<int:pk>/delete/", programme.room_delete,
         name="room-delete"),
    path("events/<slug:slug>/programme/tracks/", programme.track_list, name="tracks"),
    path("events/<slug:slug>/programme/tracks/<int:pk>/", programme.track_change,
         name="track-change"),
    path("events/<slug:slug>/programme/tracks/<int:pk>/delete/", programme.track_delete,
         name="track-delete"),
    path("events/<slug:slug>/programme/speakers/", programme.speakers, name="speakers"),
    path("events/<slug:slug>/programme/speakers/<int:pk>/", programme.speaker_change,
         name="speaker-change"),
]
