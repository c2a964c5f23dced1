"""``alongside import_meetings PATH_OR_URL --program SLUG [--dry-run] [--source NAME]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.accounts.models import Program
from alongside.meetings import fetch, services
from alongside.meetings.models import FeedSource

EXIT_INPUT = 2  # bad input: nothing was changed


class Command(BaseCommand):
    help = (
        "Import a Meeting Guide JSON feed (a file, or an http(s) URL) into a program. Meetings "
        "are matched by slug, so importing the same feed again changes nothing. Exit code 2 "
        "when the program, the file or the feed is unusable (nothing is changed then)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_url", help="a .json file or an http(s) URL")
        parser.add_argument("--program", required=True, help="the program's slug")
        parser.add_argument("--dry-run", action="store_true", help="show what would change and write nothing")
        parser.add_argument(
            "--source",
            help=(
                "attach the meetings to this named source of the program (created if new, with the URL when "
                "one is given); meetings of the source that left the feed are marked not meeting"
            ),
        )
        parser.add_argument(
            "--refresh-hours",
            type=int,
            default=None,
            help="with --source and a URL: re-import it every N hours (refresh_meeting_feeds); 0 = never",
        )

    def handle(self, *args: object, **options: object) -> None:
        target = str(options["path_or_url"])
        dry_run = bool(options["dry_run"])
        # A management command is the operator's tool: it may read the server's own network.
        program = Program.objects.filter(slug=str(options["program"])).first()
        if program is None:
            raise CommandError(f"There is no program with the slug {options['program']!r}.", returncode=EXIT_INPUT)
        try:
            raw = fetch.read_feed(target, allow_private=True)
        except fetch.FetchError as error:
            raise CommandError(f"{error} Nothing was changed.", returncode=EXIT_INPUT) from None
        source = self._source(program, options, target, dry_run)
        label = target if fetch.is_url(target) else Path(target).name
        summary = services.meetings_import(program=program, raw=raw, label=label, source=source, dry_run=dry_run)
        if summary.error:
            raise CommandError(f"{summary.error} Nothing was changed.", returncode=EXIT_INPUT)
        for warning in summary.warnings:
            self.stdout.write(f"{warning['slug'] or '(no slug)'}: {warning['reason']}")
        if dry_run:
            self.stdout.write("dry run: nothing was written; an import would do this:")
        self.stdout.write(summary.line())

    def _source(self, program: Program, options: dict[str, object], target: str, dry_run: bool) -> FeedSource | None:
        name = options.get("source")
        if not name:
            return None
        url = target if fetch.is_url(target) else ""
        existing = FeedSource.objects.filter(program=program, name=str(name)).first()
        if dry_run:
            return existing  # a dry run creates nothing, not even the source
        refresh = options.get("refresh_hours")
        if existing is not None and refresh is None and (not url or url == existing.url):
            return existing
        hours = refresh if isinstance(refresh, int) else (existing.refresh_hours if existing else 0)
        return services.feed_source_save(
            program=program, name=str(name), url=url or (existing.url if existing else ""), refresh_hours=hours
        )
