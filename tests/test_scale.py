"""The pieces that let Alongside run as several processes: with REDIS_URL set (CI's
PostgreSQL run), the channel layer and cache are Redis; without it, in-memory."""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache


def test_channel_layer_delivers_between_senders_and_receivers():
    layer = get_channel_layer()
    assert layer is not None
    group = f"test-{uuid.uuid4().hex}"
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    async_to_sync(layer.group_send)(group, {"type": "chat.message", "text": "hello"})
    message = async_to_sync(layer.receive)(channel)
    assert message == {"type": "chat.message", "text": "hello"}


def test_layer_and_cache_follow_redis_url():
    expected_layer = (
        "channels_redis.core.RedisChannelLayer" if settings.REDIS_URL else "channels.layers.InMemoryChannelLayer"
    )
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == expected_layer
    cache.set("scale-probe", 42, 10)
    assert cache.get("scale-probe") == 42


def test_health_check_reports_database(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
