#!/usr/bin/env bash
# Scale test of idle terminal connections (issue 6, "Done when", second bullet): one engine node
# on loopback, CONNECTIONS authenticated terminals that only heartbeat, opened from ADDRESSES
# source addresses 127.0.0.1..127.0.0.ADDRESSES; prints the engine's memory per connection.
#
#   CONNECTIONS=19000 ADDRESSES=4 load-tests/scale/idle-connections.sh
#
# How memory is measured, and why (see load-tests/scale/README.md): before the terminals connect
# and again once they are all welcomed and have heartbeated, a full GC is forced (jcmd GC.run),
# then
#   heap   = "used" of jcmd GC.heap_info: live objects only, what a connection really keeps;
#   direct = "Other" committed of jcmd VM.native_memory (Native Memory Tracking), which is where
#            the JVM accounts ByteBuffer.allocateDirect and Unsafe.allocateMemory, i.e. Netty's
#            direct buffers, whether pooled or not;
#   rss    = VmRSS of /proc/PID/status, everything the process holds, for a sanity check.
# Each is reported as (after - before) / connections. Kernel socket buffers are outside the JVM
# and reported from /proc/net/sockstat.
#
# Needs the jars: mvn -q -B install -DskipTests (engine/server and load-tests packaged).
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS="${CONNECTIONS:-19000}"
ADDRESSES="${ADDRESSES:-4}"
PORT="${PORT:-7520}"
HOLD_SECONDS="${HOLD_SECONDS:-50}"
CONNECT_RATE="${CONNECT_RATE:-2000}"
ENGINE_HEAP="${ENGINE_HEAP:-2g}"
CLIENT_HEAP="${CLIENT_HEAP:-2g}"
OUT="${OUT:-target/idle-connections}"
ENGINE_JAR="${ENGINE_JAR:-engine/server/target/kassa-engine.jar}"
LOAD_JAR="${LOAD_JAR:-load-tests/target/kassa-load-tests.jar}"

# Each side needs one descriptor per connection, plus the JVM's own.
needed=$((CONNECTIONS + 2000))
if [ "$(ulimit -n)" -lt "$needed" ]; then
  if ! ulimit -n "$needed" 2>/dev/null; then
    echo "idle-connections: need $needed open files, ulimit -n is $(ulimit -n) (hard" \
      "$(ulimit -Hn)); lower CONNECTIONS or raise the limit" >&2
    exit 2
  fi
fi
mkdir -p "$OUT"
seed="scale-$(date +%s)-$RANDOM$RANDOM"
engine_pid=""
client_pid=""
cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null || true
  [ -n "$engine_pid" ] && kill "$engine_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

KASSA_TERMINAL_PORT="$PORT" KASSA_TERMINAL_HOST=127.0.0.1 KASSA_NODE_ID=scale \
  KASSA_DEMO_TERMINAL_SECRET_SEED="$seed" \
  java -Xms"$ENGINE_HEAP" -Xmx"$ENGINE_HEAP" -XX:NativeMemoryTracking=summary \
    -jar "$ENGINE_JAR" >"$OUT/engine.log" 2>&1 &
engine_pid=$!
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$engine_pid" 2>/dev/null || { echo "engine failed, see $OUT/engine.log"; exit 1; }
  sleep 0.5
done

# Prints "heap_kib direct_kib rss_kib" of the engine after a full GC.
measure() {
  jcmd "$engine_pid" GC.run >/dev/null
  sleep 2
  local heap direct rss
  heap=$(jcmd "$engine_pid" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)
  direct=$(jcmd "$engine_pid" VM.native_memory summary \
    | sed -n 's/.*Other (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1/p' | head -1)
  rss=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$engine_pid/status")
  echo "$heap ${direct:-0} $rss"
}

sleep 5
read -r heap0 direct0 rss0 < <(measure)
echo "idle-connections: engine baseline heap ${heap0} KiB, direct ${direct0} KiB, rss ${rss0} KiB"

java -Xmx"$CLIENT_HEAP" -cp "$LOAD_JAR" io.kassa.loadtests.scale.IdleConnections \
  --port "$PORT" --connections "$CONNECTIONS" --addresses "$ADDRESSES" --seed "$seed" \
  --connect-rate "$CONNECT_RATE" --hold-seconds "$HOLD_SECONDS" >"$OUT/client.log" 2>&1 &
client_pid=$!
until grep -q '^READY' "$OUT/client.log"; do
  kill -0 "$client_pid" 2>/dev/null || { echo "client failed, see $OUT/client.log"; exit 1; }
  sleep 1
done
grep '^READY' "$OUT/client.log"
# Let every terminal heartbeat at least once (interval 15 s) before measuring.
sleep 20
read -r heap1 direct1 rss1 < <(measure)
jcmd "$engine_pid" GC.class_histogram >"$OUT/engine-histogram.txt" 2>&1 || true
sockstat=$(grep '^TCP:' /proc/net/sockstat)
wait "$client_pid" || true
client_pid=""
done_line=$(grep '^DONE' "$OUT/client.log" || echo "DONE missing")
echo "$done_line"

awk -v n="$CONNECTIONS" -v h0="$heap0" -v h1="$heap1" -v d0="$direct0" -v d1="$direct1" \
    -v r0="$rss0" -v r1="$rss1" -v sock="$sockstat" 'BEGIN {
  heap = (h1 - h0) * 1024 / n; direct = (d1 - d0) * 1024 / n; rss = (r1 - r0) * 1024 / n;
  printf "RESULT connections=%d heap_bytes_per_connection=%.0f direct_bytes_per_connection=%.0f" \
    " heap_plus_direct_bytes_per_connection=%.0f rss_bytes_per_connection=%.0f (kernel %s)\n",
    n, heap, direct, heap + direct, rss, sock
}'
