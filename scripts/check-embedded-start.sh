#!/usr/bin/env bash
# Proves the zero-setup default: `npm start` with no database and no keys starts the embedded
# PostgreSQL, answers /api/health with the database up, stops cleanly on SIGTERM leaving no
# process behind, and a second start finds the data written by the first.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${CHECK_PORT:-3210}
db_port=${CHECK_DB_PORT:-54339}
data=$(mktemp -d)/data
log=$(mktemp)
# Users after the first start (demo accounts, demo cohort members, the marker): the second start
# must find exactly as many, or the data was lost or the seed ran again.
counts=$(mktemp)
db_url="postgresql://postgres@127.0.0.1:$db_port/postgres?sslmode=disable"
pid=""
# On any failure, do not leave a server running behind us.
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" || true; sleep 3; fi; }
trap cleanup EXIT

start() {
  env -u DATABASE_URL -u TEST_DATABASE_URL -u APP_URL -u NEXTAUTH_URL -u KINDRED_DEMO \
    PORT="$port" KINDRED_DATA_DIR="$data" KINDRED_DB_PORT="$db_port" \
    setsid npm start >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    if curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null | grep -q '"status":"ok"'; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 1
  done
  echo "embedded start did not become healthy; its log:" >&2
  cat "$log" >&2
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop TERM: SIGTERM to npm, as a service manager would; stop INT: SIGINT to the whole
# foreground group, as Ctrl-C in a terminal does.
stop() {
  local pgid
  pgid=$(ps -o pgid= "$pid" | tr -d ' ')
  if [ "$1" = INT ]; then kill -INT -- "-$pgid"; else kill -TERM "$pid"; fi
  for _ in $(seq 1 60); do
    if ! pgrep -g "$pgid" >/dev/null && ! port_open "$port" && ! port_open "$db_port"; then break; fi
    sleep 0.5
  done
  if pgrep -g "$pgid" >/dev/null || port_open "$port" || port_open "$db_port"; then
    echo "processes were left behind after SIGTERM:" >&2
    pgrep -ag "$pgid" >&2 || true
    exit 1
  fi
  grep -q "\[kindred\] stopped" "$log" || { echo "launcher did not report a clean stop" >&2; cat "$log" >&2; exit 1; }
}

echo "== embedded default: first start =="
start
grep -q "listening on http://127.0.0.1:$port (this computer only" "$log" || { echo "npm start did not listen on loopback" >&2; cat "$log" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/api/health"; echo
curl -fsS "http://127.0.0.1:$port/" | grep -q "Build the community you want" || { echo "home page not served" >&2; exit 1; }
node -e '
const pg = require("pg");
const c = new pg.Client(process.argv[1]);
c.connect().then(() => c.query(`INSERT INTO "User"(id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, ["check-marker", "marker@check.local", "Marker"]))
  .then(() => c.query(`SELECT count(*)::int AS n FROM "User"`))
  .then((r) => { console.log(r.rows[0].n); return c.end(); });' "$db_url" > "$counts"
stop TERM
echo "== embedded default: second start keeps the data =="
start
node -e '
const pg = require("pg");
const c = new pg.Client(process.argv[1]);
c.connect().then(() => c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE email = $1)::int AS marker FROM "User"`, ["marker@check.local"]))
  .then((r) => { c.end(); const { n, marker } = r.rows[0]; console.log(`users: ${n}, marker: ${marker}`);
    const expected = Number(process.argv[2]);
    if (marker !== 1 || n !== expected) { console.error(`data did not survive the restart, or the seed ran twice (${expected} users expected)`); process.exit(1); } });' "$db_url" "$(cat "$counts")"
stop INT
echo "embedded default: ok (healthy, clean stop, data kept, seed idempotent)"
