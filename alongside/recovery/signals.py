"""Public events of the recovery app, for apps above it (community, allies) to listen to.

``milestone_shared``: a member chose to share a milestone. Sent after commit.
    Arguments: ``user`` (User), ``clock`` (Clock), ``key`` (str, e.g. "30d"), ``reached_at``
    (aware datetime).
"""

from __future__ import annotations

from django.dispatch import Signal

milestone_shared = Signal()
