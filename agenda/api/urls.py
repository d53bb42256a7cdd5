from rest_framework.routers import DefaultRouter

from .organizer_views import RoomViewSet, SpeakerViewSet, TrackViewSet
from .views import EventViewSet, SessionViewSet

router = DefaultRouter(trailing_slash=True)
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register(r"events/(?P<slug>[-a-zA-Z0-9_]+)/rooms", RoomViewSet, basename="event-room")
router.register(r"events/(?P<slug>[-a-zA-Z0-9_]+)/tracks", TrackViewSet, basename="event-track")

urlpatterns = router.urls
