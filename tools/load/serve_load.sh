#!/usr/bin/env bash
# Load test of `sigdoctor serve` on loopback: verified requests per second (wrk) and the
# resident memory after N requests with unique nonces.
#
#   [DURATION=15] [MEM_DURATION=90] tools/load/serve_load.sh [N=1000000] [NONCE_CAP=1000000] \
#       [WRK_THREADS=1] [CONNECTIONS=32]
#
# Phase 1 measures requests/s over DURATION seconds (N must outlast it: every request
# carries a fresh nonce). Phase 2 sends all N to a fresh server (MEM_DURATION must be long
# enough: the script reports pings once the signed paths ran out) and reports VmRSS/VmHWM;
# MEM_DURATION=0 skips it.
#
# Needs: a release build (cargo build --release), wrk (apt-get install -y wrk), python3 with
# oauthlib (pip install oauthlib). Every request is signed by oauthlib beforehand
# (tools/reference/sign_request.py --count, cached in $WORK), each with its own nonce, and
# the server's timestamp window is widened so the pre-signed requests stay fresh.
# Verification is not weakened: every request goes through the full check, nonce included.
# Traffic goes to 127.0.0.1 only; the run is bounded by N requests and wrk's -d limit.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${1:-1000000}
CAP=${2:-1000000}
THREADS=${3:-1}
CONNS=${4:-32}
DURATION=${DURATION:-15}
MEM_DURATION=${MEM_DURATION:-90}
WORK=${SERVE_LOAD_DIR:-/tmp/sigdoctor-serve-load}
BIN=target/release/sigdoctor
KEY=load-test-key
export SIGDOCTOR_LOAD_SECRET=load-test-secret-not-for-production
URL=http://localhost/gallery/api/v1/workflows/subscription/
mkdir -p "$WORK"
[ -x "$BIN" ] || { echo "serve_load.sh: build first: cargo build --release" >&2; exit 2; }
command -v wrk >/dev/null || { echo "serve_load.sh: apt-get install -y wrk" >&2; exit 2; }

PATHS="$WORK/paths-$N.txt"
if [ ! -s "$PATHS" ] || [ "$(wc -l <"$PATHS")" -ne "$N" ]; then
  echo "signing $N requests with oauthlib (two processes)..." >&2
  half=$((N / 2))
  python3 tools/reference/sign_request.py --url "$URL" --consumer-key "$KEY" \
    --secret-env SIGDOCTOR_LOAD_SECRET --count "$half" --nonce "a$$-" --out "$WORK/a.txt" &
  python3 tools/reference/sign_request.py --url "$URL" --consumer-key "$KEY" \
    --secret-env SIGDOCTOR_LOAD_SECRET --count $((N - half)) --nonce "b$$-" --out "$WORK/b.txt"
  wait
  cat "$WORK/a.txt" "$WORK/b.txt" >"$PATHS"
  rm -f "$WORK/a.txt" "$WORK/b.txt"
fi

start_server() { # $1: nonce cap
  rm -f "$WORK/serve.err" # a stale "listening on" line would name a dead port
  "$BIN" serve --listen 127.0.0.1:0 --consumer-key "$KEY" \
    --consumer-secret env:SIGDOCTOR_LOAD_SECRET --timestamp-window 864000 \
    --nonce-cap "$1" 2>"$WORK/serve.err" &
  SERVER=$!
  for _ in $(seq 50); do
    grep -q "listening on" "$WORK/serve.err" 2>/dev/null && break
    sleep 0.1
  done
  ADDR=$(grep -o 'listening on http://[0-9.:]*' "$WORK/serve.err" | sed 's/listening on //') ||
    { echo "serve_load.sh: the server did not start:" >&2; cat "$WORK/serve.err" >&2; exit 1; }
}
stop_server() {
  kill -TERM "$SERVER"
  wait "$SERVER" || true
  tail -1 "$WORK/serve.err"
}
rss() { grep -E 'VmRSS|VmHWM' "/proc/$SERVER/status" | tr -s ' \n' ' '; }
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT

echo "== 1. throughput: ${DURATION}s of uniquely signed requests, fresh server (cap $CAP)"
start_server "$CAP"
echo "load before: $(uptime)"
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s tools/load/signed_paths.lua \
  "$ADDR" -- "$PATHS" "$THREADS"
echo "load after: $(uptime)"
echo "server: $(rss)"
stop_server

[ "$MEM_DURATION" -gt 0 ] || exit 0
echo "== 2. memory: all $N uniquely signed requests, fresh server (cap $CAP)"
start_server "$CAP"
echo "before: $(rss)"
wrk -t"$THREADS" -c"$CONNS" -d"${MEM_DURATION}s" -s tools/load/signed_paths.lua \
  "$ADDR" -- "$PATHS" "$THREADS"
echo "after $N signed requests: $(rss)"
stop_server
