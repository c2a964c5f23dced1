"""WebSocket routes. Each app that talks in real time (messaging, alert queues) adds its
consumers here; the list starts empty in the foundation."""

from __future__ import annotations

websocket_urlpatterns: list = []
