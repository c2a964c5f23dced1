from django.urls import include, path

# Three areas of peer work, each with its own views module until they settle.
urlpatterns = [
    path("", include("alongside.peers.urls_profiles")),
    path("", include("alongside.peers.urls_work")),
    path("", include("alongside.peers.urls_matching")),
]
