"""``alongside match --input SCENARIO.json --output RESULT.json [--scores SCORES.json]``

One program-wide matching round from a JSON scenario, without the database: the same
optimisation the program pages use (alongside/peers/matching.py, where the formats, the
hard rules and the score are documented). Exit status 0 on success; 2 with one line on
stderr naming the member or peer and the field when the input is unusable.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.peers.matching import run_cli


class Command(BaseCommand):
    help = "Match members with peer supporters for one round: most members matched, then the best total score."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="SCENARIO.json: members, peers, exclusions, max_distance_km")
        parser.add_argument("--output", required=True, help="RESULT.json to write: assignments, unassigned, objective")
        parser.add_argument("--scores", help="SCORES.json to write: every feasible pair's score")

    def handle(self, *args: Any, **options: Any) -> None:
        status = run_cli(options["input"], options["output"], options["scores"], stderr=self.stderr)
        if status:
            raise SystemExit(status)
