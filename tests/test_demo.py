from __future__ import annotations


def test_seed_demo_is_idempotent(cast):
    from alongside.accounts.models import CareTeamLink, Invitation, Membership, User
    from alongside.demo import seed_demo

    counts = [
        User.objects.count(),
        Membership.objects.count(),
        CareTeamLink.objects.count(),
        Invitation.objects.count(),
    ]
    seed_demo()
    assert counts == [
        User.objects.count(),
        Membership.objects.count(),
        CareTeamLink.objects.count(),
        Invitation.objects.count(),
    ]
