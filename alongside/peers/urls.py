"""Pages of peer work: profiles and credentials, caseload, supervision, contact notes, calls, matching."""

from django.urls import path

from alongside.peers import views

urlpatterns: list = []


# === profiles ========================================================================

urlpatterns += [  # profiles
    # The peer's own profile, credentials and training.
    path("p/<slug:slug>/peers/me/", views.peer_profile_edit, name="peer_profile_edit"),
    path("p/<slug:slug>/peers/me/credentials/", views.peer_credentials, name="peer_credentials"),
    path("p/<slug:slug>/peers/me/training/", views.peer_training, name="peer_training"),
    # Admins: the peer supporters, one peer, the compliance page.
    path("p/<slug:slug>/peers/", views.peers_admin, name="peers_admin"),
    path("p/<slug:slug>/peers/compliance/", views.peer_compliance, name="peer_compliance"),
    path("p/<slug:slug>/peers/<int:user_id>/manage/", views.peer_manage, name="peer_manage"),
    # The public card (members and staff of the program).
    path("p/<slug:slug>/peers/<int:user_id>/", views.peer_card, name="peer_card"),
    path("p/<slug:slug>/peers/<int:user_id>/photo/", views.peer_photo, name="peer_photo"),
    # Credentials.
    path("p/<slug:slug>/peers/credentials/<int:credential_id>/", views.credential_detail, name="credential_detail"),
    path(
        "p/<slug:slug>/peers/credentials/<int:credential_id>/evidence/",
        views.credential_evidence,
        name="credential_evidence",
    ),
    path(
        "p/<slug:slug>/peers/credentials/<int:credential_id>/verify/",
        views.credential_verify,
        name="credential_verify",
    ),
    path(
        "p/<slug:slug>/peers/credentials/<int:credential_id>/delete/",
        views.credential_delete,
        name="credential_delete",
    ),
    path("p/<slug:slug>/peers/credentials/<int:credential_id>/ce/", views.credential_ce_add, name="credential_ce_add"),
    path(
        "p/<slug:slug>/peers/credentials/<int:credential_id>/ce/<int:entry_id>/delete/",
        views.credential_ce_delete,
        name="credential_ce_delete",
    ),
    # Training.
    path("p/<slug:slug>/peers/training/<int:record_id>/", views.training_edit, name="training_edit"),
    path("p/<slug:slug>/peers/training/<int:record_id>/delete/", views.training_delete, name="training_delete"),
    path(
        "p/<slug:slug>/peers/training/<int:record_id>/certificate/",
        views.training_certificate,
        name="training_certificate",
    ),
    # References (admins only).
    path("p/<slug:slug>/peers/references/<int:reference_id>/", views.reference_edit, name="reference_edit"),
    path("p/<slug:slug>/peers/references/<int:reference_id>/check/", views.reference_check, name="reference_check"),
    path("p/<slug:slug>/peers/references/<int:reference_id>/delete/", views.reference_delete, name="reference_delete"),
]


# === work ============================================================================

urlpatterns += [  # work
    # A peer's home in the program, and a supervisor's look at a team peer's.
    path("p/<slug:slug>/caseload/", views.caseload_page, name="caseload"),
    path("p/<slug:slug>/peers/<int:user_id>/caseload/", views.team_caseload_page, name="team_caseload"),
    # Supervision and self-care.
    path("p/<slug:slug>/peers/supervision/", views.supervision_page, name="supervision"),
    path("p/<slug:slug>/peers/supervision/new/", views.supervision_new, name="supervision_new"),
    path("p/<slug:slug>/peers/supervision/<int:session_id>/", views.supervision_detail, name="supervision_detail"),
    path("p/<slug:slug>/peers/supervision/request/", views.supervision_request, name="supervision_request"),
    path(
        "p/<slug:slug>/peers/<int:user_id>/supervision/answered/",
        views.supervision_request_clear,
        name="supervision_request_clear",
    ),
    path("p/<slug:slug>/peers/self-care/", views.self_care_page, name="self_care"),
    path("p/<slug:slug>/peers/settings/", views.peer_program_settings, name="peer_program_settings"),
    # Contact notes.
    path("p/<slug:slug>/people/<int:user_id>/contacts/", views.member_contacts, name="member_contacts"),
    path("p/<slug:slug>/people/<int:user_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("p/<slug:slug>/contacts/<int:encounter_id>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "p/<slug:slug>/contacts/<int:encounter_id>/follow-up-done/",
        views.contact_follow_up_done,
        name="contact_follow_up_done",
    ),
    # Scheduled check-in calls.
    path("peer/calls/", views.call_plan_page, name="call_plan"),
    path("peer/calls/pause/", views.call_plan_pause, name="call_plan_pause"),
    path("p/<slug:slug>/calls/<int:plan_id>/record/", views.call_record, name="call_record"),
]


# === matching ========================================================================

urlpatterns += [  # matching
    # a member's own pages
    path("peer/preferences/", views.match_preferences, name="match_preferences"),
    path("peer/find/", views.match_find, name="match_find"),
    path("peer/find/<int:peer_id>/request/", views.match_request_new, name="match_request_new"),
    path("peer/requests/<int:request_id>/withdraw/", views.match_request_withdraw, name="match_request_withdraw"),
    # a peer's inbox; an admin sees every request of the program there
    path("p/<slug:slug>/matches/requests/", views.match_requests_inbox, name="match_requests_inbox"),
    path(
        "p/<slug:slug>/matches/requests/<int:request_id>/accept/",
        views.match_request_accept,
        name="match_request_accept",
    ),
    path(
        "p/<slug:slug>/matches/requests/<int:request_id>/decline/",
        views.match_request_decline,
        name="match_request_decline",
    ),
    path(
        "p/<slug:slug>/matches/requests/<int:request_id>/withdraw/",
        views.match_request_withdraw_admin,
        name="match_request_withdraw_admin",
    ),
    # admins
    path("p/<slug:slug>/people/<int:user_id>/match/", views.match_for_member, name="match_for_member"),
    path("p/<slug:slug>/matches/exclusions/", views.match_exclusions, name="match_exclusions"),
    path(
        "p/<slug:slug>/matches/exclusions/<int:exclusion_id>/remove/",
        views.match_exclusion_remove,
        name="match_exclusion_remove",
    ),
    path("p/<slug:slug>/matches/rounds/", views.match_rounds, name="match_rounds"),
    path("p/<slug:slug>/matches/rounds/<int:round_id>/", views.match_round, name="match_round"),
    path("p/<slug:slug>/matches/rounds/<int:round_id>/apply/", views.match_round_apply, name="match_round_apply"),
    path("p/<slug:slug>/matches/rounds/<int:round_id>/discard/", views.match_round_discard, name="match_round_discard"),
]
