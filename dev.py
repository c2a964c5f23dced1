#!/usr/bin/env python3
"""Set up and run Alongside from a fresh clone with nothing but python3.

    python3 dev.py start          install, migrate, load demo data, serve on $PORT (8000)
    python3 dev.py test [ARGS]    install (incl. Chromium for browser tests), run the suite
    python3 dev.py lint           ruff check, ruff format --check, mypy

Everything goes into ./.venv; it is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".alongside-installed"
CHROMIUM = Path("/usr/bin/chromium")


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def run(cmd: list[str], **kwargs: object) -> None:
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]  # noqa: S603


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script runs on whatever python3 a newcomer has)
        sys.exit(f"Alongside needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        say("Creating a virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("Installing Alongside and its dependencies (first time takes a minute or two)")
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,dev,semantic]"])
    STAMP.write_text(wanted)


def _apt_install(packages: list[str], why: str, fallback: str) -> None:
    apt = shutil.which("apt-get")
    if apt is None:
        sys.exit(fallback)
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    say(why)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([*prefix, apt, "-qq", "update"], env=env)
    run([*prefix, apt, "-y", "-qq", "install", *packages], env=env, stdout=subprocess.DEVNULL)


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    _apt_install(
        ["chromium"],
        "Installing Debian's chromium for the browser tests",
        "Browser tests need Chromium at /usr/bin/chromium. Install your system's chromium package.",
    )


def ensure_pango() -> None:
    """WeasyPrint (printable plans) draws text with the system's Pango."""
    if any(
        Path(d).glob("libpango-1.0.so*")
        for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")
    ):
        return
    _apt_install(
        ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"],
        "Installing Pango for printable PDFs",
        "Printable PDFs need Pango (libpango-1.0-0). Install your system's pango package.",
    )


def start() -> None:
    ensure_venv()
    ensure_pango()
    env = {
        "DEBUG": "true",
        "EMAIL_URL": "console:",
        "DEMO_TOTP_CODE": "000000",
        **os.environ,
    }
    os.execve(str(BIN / "alongside"), [str(BIN / "alongside"), "demo"], env)  # noqa: S606


def test(args: list[str]) -> None:
    ensure_venv()
    ensure_chromium()
    ensure_pango()
    os.chdir(ROOT)
    # One worker per core (pytest-xdist) unless the caller chose: `-n 0` runs serially.
    parallel = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args) else ["-n", "auto"]
    os.execv(str(BIN / "pytest"), [str(BIN / "pytest"), *parallel, *args])  # noqa: S606


def lint() -> None:
    ensure_venv()
    os.chdir(ROOT)
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])
    run([str(BIN / "mypy")])


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        start()
    elif command == "test":
        test(rest)
    elif command == "lint":
        lint()
    else:
        print(__doc__)
        sys.exit(0 if command in {"help", "-h", "--help"} else 2)


if __name__ == "__main__":
    main()
