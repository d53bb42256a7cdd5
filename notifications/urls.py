from django.urls import path

from . import views

urlpatterns = [
    path("reminders/off/<str:token>/", views.reminders_off, name="reminders-off"),
]
