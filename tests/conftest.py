"""The fixed cast every test speaks of (ARCHITECTURE.md §8).

Harbor Recovery Community: Riley (member), Sam (Riley's peer), Dana (supervisor),
Alex (program admin), Jordan (Riley's ally). Desert Bloom Aftercare: Casey, the outsider.
The cast is the demo data, so what a person sees in the demo is what the tests check.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from alongside.accounts.models import Program, User
from alongside.demo import seed_demo


@dataclass
class Cast:
    riley: User
    sam: User
    dana: User
    alex: User
    jordan: User
    casey: User
    harbor: Program
    desert: Program

    def by_name(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; one test's failed sign-ins must not
    # throttle the next test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    people = seed_demo(meetings=False)
    return Cast(
        riley=people["riley"],
        sam=people["sam"],
        dana=people["dana"],
        alex=people["alex"],
        jordan=people["jordan"],
        casey=people["casey"],
        harbor=Program.objects.get(slug="harbor"),
        desert=Program.objects.get(slug="desert-bloom"),
    )


@pytest.fixture
def client_as(cast):
    """``client_as("riley")`` is a test client signed in as that person."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(cast.by_name(name))
        return client

    return make
