"""Access-matrix rows for peers (work): see rows_recovery_api.py for the tuple shape."""

PAGE_ROWS: list = []
API_ROWS: list = []
