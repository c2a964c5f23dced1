"""The ``alongside`` console script: Django's manage.py with Alongside's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    from alongside.lib.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as error:
        print(f"alongside: configuration error. {error}", file=sys.stderr)
        print("See docs/operators.md for every environment variable.", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
