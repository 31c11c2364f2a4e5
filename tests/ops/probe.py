"""Requests through the whole stack in a process of its own, for the fault tests: the
database settings are read at start-up, so pointing DATABASE_URL at a dead server needs a
fresh process. Prints one JSON line: for each path, status, headers, body and seconds.

Usage: python -m tests.ops.probe /path [/path ...]
"""

import json
import os
import sys
import time


def main(paths: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" in ALLOWED_HOSTS
    client = Client(raise_request_exception=False)
    results = []
    for path in paths:
        start = time.monotonic()
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        results.append(
            {
                "path": path,
                "status": response.status_code,
                "headers": dict(response.headers),
                "body": content.decode(errors="replace"),
                "seconds": round(time.monotonic() - start, 3),
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
