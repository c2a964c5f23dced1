"""The whole demo: each app's demo content, lowest app first.

Lives at the project level (like urls.py) because it touches every app.
"""

from __future__ import annotations

from django.db import transaction

from alongside.accounts.demo import seed_people
from alongside.accounts.models import Program, User
from alongside.meetings.demo import seed_meetings_demo
from alongside.peers.demo import seed_peers_demo
from alongside.recovery.demo import seed_recovery_demo
from alongside.safety.demo import seed_safety_demo


@transaction.atomic
def seed_demo(*, meetings: bool = True) -> dict[str, User]:
    """The demo. ``meetings=False`` leaves out the few hundred imported meetings, which
    most tests do not need and would only slow down."""
    people = seed_people()
    harbor = Program.objects.get(slug="harbor")
    seed_safety_demo(people, harbor)
    seed_recovery_demo(people, harbor)
    seed_peers_demo(people, harbor)
    if meetings:
        seed_meetings_demo(people, harbor)
    return people
