#!/usr/bin/env bash
# Builds Kassa and runs its demo: one engine node on embedded PostgreSQL and Redis, and a
# simulated store chain whose terminals check out over TCP. Ctrl-C stops everything.
#
#   ./demo.sh                      # 20 terminals in 4 stores, 10 checkouts/s
#   TERMINALS=200 RATE=100 ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"

TERMINALS="${TERMINALS:-20}"
STORES="${STORES:-4}"
RATE="${RATE:-10}"
MEMBERS="${MEMBERS:-200}"
PORT="${KASSA_TERMINAL_PORT:-7420}"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "demo: building (mvn install, tests skipped; run the tests with: mvn -B verify)..."
  mvn -q -B install -DskipTests
fi

engine_pid=""
sim_pid=""
stop() {
  trap - INT TERM EXIT
  echo
  echo "demo: stopping..."
  [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && wait "$sim_pid" 2>/dev/null || true
  [ -n "$engine_pid" ] && kill -TERM "$engine_pid" 2>/dev/null || true
  [ -n "$engine_pid" ] && wait "$engine_pid" 2>/dev/null || true
  echo "demo: stopped"
}
trap stop INT TERM EXIT

# Demo terminals authenticate with secrets derived from this seed (protocol/SPEC.md 7.2); the
# engine accepts a seed only on its embedded PostgreSQL, so a real deployment cannot use it.
DEMO_SEED="${KASSA_DEMO_TERMINAL_SECRET_SEED:-kassa-demo-$(date +%s)-$RANDOM$RANDOM}"

# The engine runs in a session of its own: Ctrl-C reaches this script (which then stops the
# simulator and asks the engine to drain and stop) but not the engine's embedded PostgreSQL
# and Redis, which would otherwise die at once under the engine's in-flight checkouts.
KASSA_TERMINAL_PORT="$PORT" KASSA_DEMO_REPORT_SECONDS="${KASSA_DEMO_REPORT_SECONDS:-10}" \
  KASSA_DEMO_TERMINAL_SECRET_SEED="$DEMO_SEED" KASSA_DEMO_MEMBERS="$MEMBERS" \
  setsid java -jar engine/server/target/kassa-engine.jar &
engine_pid=$!

echo "demo: waiting for the engine on port $PORT..."
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$engine_pid" 2>/dev/null; then echo "demo: the engine failed to start"; exit 1; fi
  sleep 0.5
done

echo "demo: $TERMINALS terminals in $STORES stores checking out at $RATE/s; Ctrl-C stops"
KASSA_DEMO_TERMINAL_SECRET_SEED="$DEMO_SEED" \
  java -jar peripherals/target/kassa-peripherals.jar pos-sim --host 127.0.0.1 --port "$PORT" \
  --terminals "$TERMINALS" --stores "$STORES" --rate "$RATE" --members "$MEMBERS" --duration "${DURATION:-0}" &
sim_pid=$!
wait "$sim_pid" || true
sim_pid=""
