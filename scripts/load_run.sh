#!/usr/bin/env bash
# The bounded load run of docs/benchmarks.md: wrk, 60 s, 64 connections, 2 threads, over
# loopback, against `make serve`, one address at a time; the API with a partner key.
#
#   PORT=8100 API_KEY_RATE=1000000/min make serve     # in another shell
#   API_KEY=<key> BASE=http://127.0.0.1:8100 scripts/load_run.sh
#
# A key: DJANGO_SETTINGS_MODULE=config.settings.production ... python manage.py shell -c
#   "from rest_framework_api_key.models import APIKey; print(APIKey.objects.create_key(name='load run')[1])"
# The key's rate limit must be above what the run sends (API_KEY_RATE), or the run measures
# 429s. Each wrk run stops by itself after DURATION; nothing else is sent.
set -euo pipefail
BASE="${BASE:-http://127.0.0.1:8100}"
DURATION="${DURATION:-60s}"
CONNECTIONS="${CONNECTIONS:-64}"
: "${API_KEY:?set API_KEY to a partner key}"
case "$BASE" in
    http://127.*|http://localhost*|http://\[::1\]*) ;;
    *) echo "BASE must be a loopback address, not $BASE" >&2; exit 2 ;;
esac

run() {
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$@"
}
for path in / /works/ "/search/?q=Ningbo"; do
    echo "=== $path"
    run "$BASE$path"
done
echo "=== /api/v1/works/ (with a key)"
run -H "Authorization: Api-Key $API_KEY" "$BASE/api/v1/works/"
