#!/usr/bin/env bash
# Scale test of idle terminal connections (issue 6, "Done when", second bullet): one engine node
# on loopback, CONNECTIONS authenticated terminals that only heartbeat, opened by CLIENTS
# generator processes from ADDRESSES source addresses each (127.0.0.x); prints the engine's
# memory per connection and, with LOAD_RATE, checkout throughput with and without them.
#
#   CONNECTIONS=19000 CLIENTS=1 ADDRESSES=4 LOAD_RATE=1000 load-tests/scale/idle-connections.sh
#
# How memory is measured, and why (see load-tests/scale/README.md): before the terminals connect
# and again once they are all welcomed and have heartbeated, a full GC is forced (jcmd GC.run),
# then
#   heap   = "used" of jcmd GC.heap_info: live objects only, what a connection really keeps;
#   direct = "Other" committed of jcmd VM.native_memory (Native Memory Tracking), which is where
#            the JVM accounts ByteBuffer.allocateDirect and Unsafe.allocateMemory, i.e. Netty's
#            direct buffers, whether pooled or not;
#   rss    = VmRSS of /proc/PID/status, everything the process holds, for a sanity check.
# Each is reported as (after - before) / connections, with the class histograms of both
# moments in OUT for a per-class diff. Kernel socket buffers are outside the JVM and reported
# from /proc/net/sockstat.
#
# Throughput (LOAD_RATE > 0): the load generator (kassa-load: quote + checkout, anonymous and
# member sales, no scanned codes or refunds) runs LOAD_SECONDS at LOAD_RATE sales/s four times
# against the same engine: a warm-up, once without the idle terminals, once while they are held
# and heartbeating, and once more without after they have gone (so that the JIT's and caches'
# warming does not favour one side). A rate above what the engine sustains measures its
# throughput (the achieved rate); printed is with / the better of the two runs without.
#
# Limits: the engine needs one descriptor per connection plus its own (counted after start);
# each generator process needs one per connection it holds. Neither may exceed `ulimit -n`.
#
# Needs the jars: mvn -q -B install -DskipTests (engine/server and load-tests packaged).
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS="${CONNECTIONS:-19000}"
CLIENTS="${CLIENTS:-1}"
ADDRESSES="${ADDRESSES:-4}"
PORT="${PORT:-7520}"
HOLD_SECONDS="${HOLD_SECONDS:-50}"
CONNECT_RATE="${CONNECT_RATE:-2000}"
ENGINE_HEAP="${ENGINE_HEAP:-2g}"
CLIENT_HEAP="${CLIENT_HEAP:-2g}"
LOAD_RATE="${LOAD_RATE:-0}"
LOAD_SECONDS="${LOAD_SECONDS:-30}"
LOAD_TERMINALS="${LOAD_TERMINALS:-200}"
MEMBERS="${MEMBERS:-1000}"
OUT="${OUT:-target/idle-connections}"
ENGINE_JAR="${ENGINE_JAR:-engine/server/target/kassa-engine.jar}"
LOAD_JAR="${LOAD_JAR:-load-tests/target/kassa-load-tests.jar}"

per_client=$(( (CONNECTIONS + CLIENTS - 1) / CLIENTS ))
limit="$(ulimit -n)"
# A generator process holds its connections plus the JVM's own files (about 100).
if [ $((per_client + 200)) -gt "$limit" ]; then
  echo "idle-connections: $per_client connections per generator process need more than" \
    "ulimit -n $limit (hard $(ulimit -Hn)); raise CLIENTS" >&2
  exit 2
fi
mkdir -p "$OUT"
seed="scale-$(date +%s)-$RANDOM$RANDOM"
engine_pid=""
client_pids=()
cleanup() {
  for pid in "${client_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$engine_pid" ] && kill "$engine_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

KASSA_TERMINAL_PORT="$PORT" KASSA_TERMINAL_HOST=127.0.0.1 KASSA_NODE_ID=scale \
  KASSA_DEMO_TERMINAL_SECRET_SEED="$seed" KASSA_DEMO_MEMBERS="$MEMBERS" KASSA_LOG_LEVEL=WARN \
  java -Xms"$ENGINE_HEAP" -Xmx"$ENGINE_HEAP" -XX:NativeMemoryTracking=summary \
    -jar "$ENGINE_JAR" >"$OUT/engine.log" 2>&1 &
engine_pid=$!
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$engine_pid" 2>/dev/null || { echo "engine failed, see $OUT/engine.log"; exit 1; }
  sleep 0.5
done
sleep 5

engine_files=$(ls "/proc/$engine_pid/fd" | wc -l)
# Room for the load generator's terminals and the engine's pools, on top of what it has open.
engine_room=$((limit - engine_files - LOAD_TERMINALS - 100))
echo "idle-connections: ulimit -n $limit; the engine has $engine_files files open, so it can" \
  "hold at most $engine_room idle connections besides the load"
if [ "$CONNECTIONS" -gt "$engine_room" ]; then
  echo "idle-connections: CONNECTIONS=$CONNECTIONS is above that; lower it or raise the limit" >&2
  exit 2
fi

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

# Runs the load generator once; prints its key=value line.
load() {
  local name="$1"
  java -jar "$LOAD_JAR" --port "$PORT" --terminals "$LOAD_TERMINALS" --stores 20 \
    --rate "$LOAD_RATE" --duration "$LOAD_SECONDS" --warmup 5 --members "$MEMBERS" \
    --userpaying 0 --refunds 0 --seed 7 --demo-secret-seed "$seed" \
    >"$OUT/load-$name.txt" 2>"$OUT/load-$name.err" || true
  grep '^target=' "$OUT/load-$name.txt" || echo "target=$LOAD_RATE achieved=0 (failed)"
}
value() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

if [ "$LOAD_RATE" -gt 0 ]; then
  echo "idle-connections: warm-up load at $LOAD_RATE sales/s"
  # A cold engine may miss the generator's first Welcome deadline: try again.
  for attempt in 1 2 3; do
    load "warmup-$attempt" | grep -q 'completed=' && break
  done
  without=$(load without)
  echo "WITHOUT $without"
fi

read -r heap0 direct0 rss0 < <(measure)
jcmd "$engine_pid" GC.class_histogram >"$OUT/engine-histogram-before.txt" 2>&1 || true
echo "idle-connections: engine baseline heap ${heap0} KiB, direct ${direct0} KiB, rss ${rss0} KiB"

# The terminals stay while memory is measured and, with LOAD_RATE, while the load runs.
hold=$HOLD_SECONDS
if [ "$LOAD_RATE" -gt 0 ]; then
  hold=$((HOLD_SECONDS + LOAD_SECONDS + 30))
fi
for client in $(seq 0 $((CLIENTS - 1))); do
  first=$((client * per_client))
  count=$((CONNECTIONS - first < per_client ? CONNECTIONS - first : per_client))
  java -Xmx"$CLIENT_HEAP" -cp "$LOAD_JAR" io.kassa.loadtests.scale.IdleConnections \
    --port "$PORT" --connections "$count" --first-index "$first" \
    --addresses "$ADDRESSES" --address-base $((client * ADDRESSES)) --seed "$seed" \
    --connect-rate $((CONNECT_RATE / CLIENTS)) --hold-seconds "$hold" \
    >"$OUT/client-$client.log" 2>&1 &
  client_pids+=($!)
done
for client in $(seq 0 $((CLIENTS - 1))); do
  until grep -q '^READY' "$OUT/client-$client.log"; do
    kill -0 "${client_pids[$client]}" 2>/dev/null \
      || { echo "client $client failed, see $OUT/client-$client.log"; exit 1; }
    sleep 1
  done
  grep '^READY' "$OUT/client-$client.log"
done
# Let every terminal heartbeat at least once (interval 15 s) before measuring.
sleep 20
read -r heap1 direct1 rss1 < <(measure)
jcmd "$engine_pid" GC.class_histogram >"$OUT/engine-histogram.txt" 2>&1 || true
sockstat=$(grep '^TCP:' /proc/net/sockstat)
held=$(( $(ls "/proc/$engine_pid/fd" | wc -l) - engine_files ))

if [ "$LOAD_RATE" -gt 0 ]; then
  with=$(load with)
  echo "WITH $with"
fi

for client in $(seq 0 $((CLIENTS - 1))); do
  wait "${client_pids[$client]}" || true
  grep '^DONE' "$OUT/client-$client.log" || echo "DONE missing in $OUT/client-$client.log"
done
client_pids=()
if [ "$LOAD_RATE" -gt 0 ]; then
  sleep 5
  again=$(load without-again)
  echo "WITHOUT_AGAIN $again"
fi

awk -v n="$CONNECTIONS" -v h0="$heap0" -v h1="$heap1" -v d0="$direct0" -v d1="$direct1" \
    -v r0="$rss0" -v r1="$rss1" -v sock="$sockstat" -v held="$held" 'BEGIN {
  heap = (h1 - h0) * 1024 / n; direct = (d1 - d0) * 1024 / n; rss = (r1 - r0) * 1024 / n;
  printf "RESULT connections=%d engine_descriptors_added=%d heap_bytes_per_connection=%.0f" \
    " direct_bytes_per_connection=%.0f heap_plus_direct_bytes_per_connection=%.0f" \
    " rss_bytes_per_connection=%.0f (kernel %s)\n",
    n, held, heap, direct, heap + direct, rss, sock
}'
if [ "$LOAD_RATE" -gt 0 ]; then
  awk -v a="$(value "$without" achieved)" -v c="$(value "$again" achieved)" \
      -v b="$(value "$with" achieved)" -v rate="$LOAD_RATE" 'BEGIN {
    base = (a > c ? a : c)
    printf "THROUGHPUT offered=%s/s without=%.1f/s with=%.1f/s without_again=%.1f/s" \
      " ratio=%.3f\n", rate, a, b, c, (base > 0 ? b / base : 0) }'
fi
