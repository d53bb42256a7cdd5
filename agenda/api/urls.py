from rest_framework.routers import DefaultRouter

from .views import EventViewSet, SessionViewSet

router = DefaultRouter(trailing_slash=True)
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")

urlpatterns = router.urls
