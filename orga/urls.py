from django.urls import path

from .views import account, attendees, dashboard, messages

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
    path("events/<slug:slug>/attendees/", attendees.attendees, name="attendees"),
    path("events/<slug:slug>/attendees/export.csv", attendees.export_csv,
         name="attendees-csv"),
    path("events/<slug:slug>/attendees/export.xlsx", attendees.export_xlsx,
         name="attendees-xlsx"),
    path("events/<slug:slug>/attendees/<int:registration_id>/approve/", attendees.approve,
         name="attendee-approve"),
    path("events/<slug:slug>/attendees/<int:registration_id>/promote/", attendees.promote,
         name="attendee-promote"),
    path("events/<slug:slug>/attendees/<int:registration_id>/cancel/", attendees.cancel,
         name="attendee-cancel"),
    path("events/<slug:slug>/attendees/<int:registration_id>/check-in/", attendees.check_in,
         name="attendee-check-in"),
    path("events/<slug:slug>/messages/", messages.message_list, name="messages"),
    path("events/<slug:slug>/messages/new/", messages.compose, name="message-compose"),
    path("events/<slug:slug>/messages/<int:message_id>/", messages.message_detail,
         name="message"),
]
