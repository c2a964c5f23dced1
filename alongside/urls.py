from django.urls import include, path

from alongside.accounts import views as accounts
from alongside.api.api import api
from alongside.lib.health import healthz
from alongside.recovery import views as recovery
from alongside.safety import views as safety

urlpatterns = [
    path("", recovery.home, name="home"),
    path("help/", safety.help_now, name="help_now"),
    path("help/<slug:slug>/", safety.help_for_program, name="help_for_program"),
    path("support/", safety.support_now, name="support_now"),
    path("support/<int:alert_id>/", safety.support_sent, name="support_sent"),
    path("safety/history/", safety.my_safety_history, name="my_safety_history"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("welcome/handle/", accounts.welcome_handle, name="welcome_handle"),
    path("welcome/two-factor/", accounts.welcome_two_factor, name="welcome_two_factor"),
    path("programs/", accounts.programs, name="programs"),
    path("programs/new/", accounts.program_create, name="program_create"),
    path("p/<slug:slug>/people/", accounts.people, name="program_people"),
    path("p/<slug:slug>/people/<int:user_id>/", accounts.person, name="program_person"),
    path("p/<slug:slug>/invitations/", accounts.program_invitations, name="program_invitations"),
    path(
        "p/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        accounts.invitation_revoke,
        name="program_invitation_revoke",
    ),
    path("p/<slug:slug>/people/<int:user_id>/safety/", safety.member_safety_history, name="member_safety_history"),
    path("p/<slug:slug>/alerts/", safety.alert_queue, name="alert_queue"),
    path("p/<slug:slug>/alerts/<int:alert_id>/", safety.alert_detail, name="alert_detail"),
    path("p/<slug:slug>/alerts/<int:alert_id>/acknowledge/", safety.alert_acknowledge, name="alert_acknowledge"),
    path("p/<slug:slug>/alerts/<int:alert_id>/note/", safety.alert_note, name="alert_note"),
    path("p/<slug:slug>/alerts/<int:alert_id>/resolve/", safety.alert_resolve, name="alert_resolve"),
    path("p/<slug:slug>/safety/resources/", safety.resources_admin, name="safety_resources"),
    path("p/<slug:slug>/safety/resources/reset/", safety.resources_reset, name="safety_resources_reset"),
    path("p/<slug:slug>/safety/resources/<int:resource_id>/", safety.resource_edit, name="safety_resource_edit"),
    path(
        "p/<slug:slug>/safety/resources/<int:resource_id>/delete/",
        safety.resource_delete,
        name="safety_resource_delete",
    ),
    path("p/<slug:slug>/safety/settings/", safety.safety_settings, name="safety_settings"),
    path("p/<slug:slug>/safety/on-call/", safety.on_call, name="safety_on_call"),
    path("p/<slug:slug>/safety/on-call/<int:shift_id>/delete/", safety.on_call_delete, name="safety_on_call_delete"),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("privacy/", accounts.privacy, name="privacy"),
    path("privacy/export.json", accounts.privacy_export, name="privacy_export"),
    path("privacy/delete-account/", accounts.account_delete, name="account_delete"),
    path("", include("alongside.meetings.urls")),
    path("", include("alongside.recovery.urls")),
    path("", include("alongside.peers.urls")),
    path("api/v1/", api.urls),
]
