from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "alongside.recovery"
    label = "recovery"

    def ready(self) -> None:
        from alongside.accounts.selectors import register_export_section
        from alongside.recovery.selectors import export_for

        register_export_section("recovery", export_for)
