from django.urls import path

from .views import account, dashboard, team, tokens, webhooks

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
    path("events/<slug:slug>/team/", team.team, name="team"),
    path("events/<slug:slug>/team/revoke/", team.revoke, name="team-revoke"),
    path("events/<slug:slug>/audit/", team.audit_log, name="audit"),
    path("events/<slug:slug>/webhooks/", webhooks.webhooks, name="webhooks"),
    path("events/<slug:slug>/webhooks/<int:pk>/", webhooks.deliveries,
         name="webhook-deliveries"),
    path("events/<slug:slug>/webhooks/<int:pk>/rotate/", webhooks.rotate,
         name="webhook-rotate"),
    path("events/<slug:slug>/webhooks/<int:pk>/toggle/", webhooks.toggle,
         name="webhook-toggle"),
    path("events/<slug:slug>/webhooks/<int:pk>/delete/", webhooks.delete,
         name="webhook-delete"),
    path("events/<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
         webhooks.redeliver, name="webhook-redeliver"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/revoke/", tokens.revoke, name="tokens-revoke"),
]
