from django.urls import include, path

from alongside.accounts import views as accounts
from alongside.api.api import api
from alongside.lib.health import healthz
from alongside.safety import views as safety

urlpatterns = [
    path("", accounts.home, name="home"),
    path("help/", safety.help_now, name="help_now"),
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
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("privacy/", accounts.privacy, name="privacy"),
    path("privacy/export.json", accounts.privacy_export, name="privacy_export"),
    path("privacy/delete-account/", accounts.account_delete, name="account_delete"),
    path("api/v1/", api.urls),
]
