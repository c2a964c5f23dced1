"""Test runs use the one settings module with test-friendly environment defaults.

Only environment defaults live here (never different settings logic), so the tests
exercise the same parsing an operator's deployment does. Real env vars still win:
``DATABASE_URL=postgres://... python3 dev.py test`` runs the suite on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 60)
os.environ.setdefault("TASK_BACKEND", "immediate")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("EMAIL_URL", "locmem:")
os.environ.setdefault("STATIC_MANIFEST", "false")

# Parallel workers (pytest-xdist) each get their own Redis database: tests clear the cache
# between them, and a flush in one worker must not wipe another's rate-limit counters.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis_base, _, _redis_db = os.environ.get("REDIS_URL", "").rpartition("/")
if _worker.startswith("gw") and _redis_db.isdigit():
    os.environ["REDIS_URL"] = f"{_redis_base}/{max(0, int(_redis_db) - int(_worker[2:]))}"

from alongside.settings import *  # noqa: E402, F403 - after the environment defaults above

# Argon2 is deliberately slow (about 0.3 s a hash here); the cast is created for every
# test, so tests hash with a fast algorithm. Production keeps Argon2 (settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
