from django.urls import path

from .views import account, checkin, dashboard, team

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
    path("events/<slug:slug>/check-in/", checkin.check_in_page, name="check-in"),
    path("events/<slug:slug>/check-in/scan/", checkin.scan, name="check-in-scan"),
    path("events/<slug:slug>/check-in/undo/", checkin.undo, name="check-in-undo"),
    path("events/<slug:slug>/check-in/counts/", checkin.counts, name="check-in-counts"),
    path("events/<slug:slug>/check-in/list.pdf", checkin.attendee_list_pdf,
         name="check-in-list"),
    path("events/<slug:slug>/team/", team.team, name="team"),
    path("events/<slug:slug>/team/revoke/", team.revoke, name="team-revoke"),
    path("events/<slug:slug>/audit/", team.audit_log, name="audit"),
]
