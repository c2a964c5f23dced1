from __future__ import annotations

from alongside.accounts import services
from alongside.accounts.models import AuditEvent, Role


def test_peer_sees_only_the_members_they_walk_with(cast, client_as):
    body = client_as("sam").get("/p/harbor/people/").content.decode()
    assert "riley" in body
    assert "morgan_k" in body
    assert "jordan" not in body  # an ally is not in a peer's list


def test_peer_gets_403_for_a_member_they_do_not_walk_with(cast, client_as, django_user_model):
    stranger = django_user_model.objects.create_user(email="s@example.org", password="x", handle="stranger")
    services.membership_add(user=stranger, program=cast.harbor, role=Role.MEMBER)
    assert client_as("sam").get(f"/p/harbor/people/{stranger.pk}/").status_code == 403
    assert client_as("dana").get(f"/p/harbor/people/{stranger.pk}/").status_code == 200


def test_opening_a_member_record_is_audited_and_the_member_sees_it(cast, client_as):
    before = AuditEvent.objects.filter(subject=cast.riley, actor=cast.dana).count()
    client_as("dana").get(f"/p/harbor/people/{cast.riley.pk}/")
    event = AuditEvent.objects.filter(subject=cast.riley, actor=cast.dana).latest("created_at")
    assert AuditEvent.objects.filter(subject=cast.riley, actor=cast.dana).count() == before + 1
    assert event.actor_role == Role.SUPERVISOR
    body = client_as("riley").get("/privacy/").content.decode()
    assert "dana" in body and "Supervisor" in body


def test_a_member_opening_their_own_record_is_not_audited(cast, client_as):
    before = AuditEvent.objects.filter(subject=cast.riley).count()
    client_as("riley").get(f"/p/harbor/people/{cast.riley.pk}/")
    assert AuditEvent.objects.filter(subject=cast.riley).count() == before


def test_outsider_gets_404_for_a_member_record_even_by_guessing_ids(cast, client_as):
    assert client_as("casey").get(f"/p/harbor/people/{cast.riley.pk}/").status_code == 404
    assert client_as("alex").get(f"/p/harbor/people/{cast.casey.pk}/").status_code == 404
    assert client_as("alex").get("/p/desert-bloom/people/").status_code == 404


def test_people_list_has_no_n_plus_one(cast, client_as, django_assert_max_num_queries, django_user_model):
    client = client_as("alex")
    client.get("/p/harbor/people/")
    for n in range(15):
        person = django_user_model.objects.create_user(email=f"p{n}@example.org", password="x", handle=f"person{n}")
        services.membership_add(user=person, program=cast.harbor, role=Role.MEMBER)
    with django_assert_max_num_queries(14):
        assert client.get("/p/harbor/people/").status_code == 200


def test_an_id_longer_than_any_row_id_is_a_404_not_a_server_error(cast, client_as):
    alex = client_as("alex")
    assert alex.get("/p/harbor/people/99999999999999999999999/").status_code == 404
    response = client_as("riley").get("/api/v1/journal/123456789012345678901234")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
