from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<int:pk>/rotate-secret/", views.RotateSecretView.as_view(),
         name="webhook-rotate-secret"),
    path("webhooks/<int:pk>/deliveries/", views.DeliveryListView.as_view(),
         name="webhook-deliveries"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
         views.RedeliverView.as_view(), name="webhook-redeliver"),
]
