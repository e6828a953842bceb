#!/usr/bin/env bash
# The benchmark of record: one script, everything on this machine, loopback only.
#
#   1. starts its own PostgreSQL (a fresh cluster in a temporary directory; fsync and
#      synchronous_commit on, as in production) and Redis (no persistence), on spare ports;
#   2. measures the floors on them: pgbench on the exact statements of a member checkout's
#      commit transaction (one per transaction, and 16 per transaction), redis-benchmark on
#      EVALSHA of the reserve and commit scripts (unpipelined and pipelined);
#   3. starts the engine against them with 1,000 demo members, and steps the load generator's
#      arrival rate (open model, latency from the intended start) until the checkout p99 passes
#      25 ms, the quote p99 passes 2 ms, or the achieved rate falls below 95% of the target;
#   4. prints one table — the engine's highest sustained rate, its latencies, CPU per process,
#      the ratios to the floors — and writes it to BENCHMARKS.md with the machine's description.
#
# usage: load-tests/bench/bench.sh [step_seconds=20] [first_rate=200] [rate_step=200]
#                                  [max_rate=5000]
set -euo pipefail
cd "$(dirname "$0")/../.."
STEP_SECONDS="${1:-20}"
FIRST_RATE="${2:-200}"
RATE_STEP="${3:-200}"
MAX_RATE="${4:-5000}"
CHECKOUT_P99_BOUND_MS=25
QUOTE_P99_BOUND_MS=2
MEMBERS=1000
TERMINALS=400
PG_PORT=55432
REDIS_PORT=56379
ENGINE_PORT=57420
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
WORK="$(mktemp -d /tmp/kassa-bench.XXXXXX)"
SEED="bench-$(date +%s)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$WORK/pg/postmaster.pid" ] && su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop" \
    >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

ticks() { # summed user+system clock ticks of the given pids
  local total=0
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
  done
  echo "$total"
}
postgres_pids() { pgrep -f "postgres.*$WORK/pg" | tr '\n' ' '; pgrep -P "$(head -1 \
  "$WORK/pg/postmaster.pid")" | tr '\n' ' '; }

echo "== building"
mvn -q -B install -DskipTests

echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT ($WORK)"
mkdir -p "$WORK/pg" && chown postgres "$WORK" "$WORK/pg"
su postgres -c "$PG_BIN/initdb -D $WORK/pg -A trust -U postgres" >"$WORK/initdb.log"
su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg -l $WORK/pg.log -w -o \
  '-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=256MB \
   -c max_connections=100 -c fsync=on -c synchronous_commit=on' start" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$WORK/redis.log"
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

echo "== engine"
KASSA_PG_URL="$PG_URL" KASSA_REDIS_URL="$REDIS_URL" KASSA_PG_SCHEMA=kassa \
  KASSA_TERMINAL_HOST=127.0.0.1 KASSA_TERMINAL_PORT="$ENGINE_PORT" KASSA_LOG_LEVEL=WARN \
  KASSA_HTTP_PORT=0 KASSA_DEMO_TERMINAL_SECRET_SEED="$SEED" KASSA_DEMO_MEMBERS="$MEMBERS" \
  KASSA_SCRATCH_DATABASE=yes-throw-away-data \
  java -Xms1g -Xmx1g -XX:StartFlightRecording=filename="$WORK/engine.jfr",settings=profile \
  -jar engine/server/target/kassa-engine.jar >"$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
PIDS+=("$ENGINE_PID")
for _ in $(seq 1 120); do
  grep -q "demo members created" "$WORK/engine.log" 2>/dev/null && break
  kill -0 "$ENGINE_PID" 2>/dev/null || { cat "$WORK/engine.log"; exit 1; }
  sleep 0.5
done

echo "== floors"
PGBENCH_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
# The pgbench scripts write to schema bench_ledger: a copy of the engine's schema, seeded
# like the engine's members, so both floors and engine work on the same shapes and sizes.
psql -q "$PGBENCH_URL" -c "drop schema if exists bench_ledger cascade" >/dev/null
pg_dump -s -n kassa "$PGBENCH_URL" | sed 's/\bkassa\./bench_ledger./g; s/SCHEMA kassa/SCHEMA bench_ledger/g; s/search_path = kassa/search_path = bench_ledger/g' \
  | sed "s/TO 'kassa'/TO 'bench_ledger'/g" \
  | psql -q "$PGBENCH_URL" >/dev/null
psql -q "$PGBENCH_URL" >/dev/null <<SQL
insert into bench_ledger.redis_generation (generation) values ('bench') on conflict do nothing;
insert into bench_ledger.member (member_id, member_code, completed_orders)
  select 'bench-' || g, 'code-bench-' || g, 1 from generate_series(0, 1999) g;
insert into bench_ledger.stored_value_balance select 'bench-' || g, 1000000000000
  from generate_series(0, 1999) g;
insert into bench_ledger.points_lot (lot_id, member_id, points_remaining, earned_on, expires_on)
  select 'seed-' || g, 'bench-' || g, 1000000000000, current_date - 10, current_date + 365
  from generate_series(0, 1999) g;
SQL
pgbench -n -M prepared -c 8 -j 2 -T "$STEP_SECONDS" -D members=2000 \
  -f load-tests/bench/commit-one.sql "$PGBENCH_URL" >"$WORK/pgbench-one.txt" 2>&1
PGBENCH_ONE="$(grep -oE 'tps = [0-9.]+' "$WORK/pgbench-one.txt" | head -1 | cut -d' ' -f3)"
pgbench -n -M prepared -c 2 -j 2 -T "$STEP_SECONDS" -D members=2000 \
  -f load-tests/bench/commit-batch16.sql "$PGBENCH_URL" >"$WORK/pgbench-batch.txt" 2>&1
PGBENCH_BATCH="$(grep -oE 'tps = [0-9.]+' "$WORK/pgbench-batch.txt" | head -1 \
  | awk '{print $3 * 16}')"
RESERVE_SHA="$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD \
  "$(cat engine/server/src/main/resources/redis/reserve.lua)")"
COMMIT_SHA="$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD \
  "$(cat engine/server/src/main/resources/redis/commit.lua)")"
M='kassa:{m:bench-redis}:'
redis-cli -p "$REDIS_PORT" HSET "${M}bal" gen bench sv 1000000000000 sv_held 0 pts_held 0 >/dev/null
redis-cli -p "$REDIS_PORT" HSET "${M}lot" seed "1000000000000:0:0" >/dev/null
redis-cli -p "$REDIS_PORT" ZADD "${M}lots" 99999 seed >/dev/null
TODAY="$(( $(date +%s) / 86400 ))"
rb() { redis-benchmark -p "$REDIS_PORT" -n 200000 -c 16 -r 100000000 "$@" -q \
  | grep -oE '[0-9.]+ requests per second' | cut -d' ' -f1; }
REDIS_RESERVE="$(rb EVALSHA "$RESERVE_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" \
  "${M}hold:__rand_int__" bench 1 1 "$TODAY" 9999999999999)"
REDIS_RESERVE_P="$(rb -P 16 EVALSHA "$RESERVE_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" \
  "${M}hold:p__rand_int__" bench 1 1 "$TODAY" 9999999999999)"
REDIS_COMMIT="$(rb EVALSHA "$COMMIT_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" \
  "${M}hold:__rand_int__" "$TODAY" 0 60)"
REDIS_COMMIT_P="$(rb -P 16 EVALSHA "$COMMIT_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" \
  "${M}hold:p__rand_int__" "$TODAY" 0 60)"
echo "pgbench one/tx $PGBENCH_ONE tps; batched $PGBENCH_BATCH checkouts/s;" \
  "redis reserve $REDIS_RESERVE/s (pipelined $REDIS_RESERVE_P/s)," \
  "commit $REDIS_COMMIT/s (pipelined $REDIS_COMMIT_P/s)"

echo "== stepping the engine's arrival rate"
LOAD_JAR=load-tests/target/kassa-load-tests.jar
BEST=""
RATE="$FIRST_RATE"
: >"$WORK/steps.txt"
while [ "$RATE" -le "$MAX_RATE" ]; do
  PG_PIDS="$(postgres_pids)"
  REDIS_PID="$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT" | head -1)"
  E0="$(ticks "$ENGINE_PID")"; P0="$(ticks $PG_PIDS)"; R0="$(ticks "$REDIS_PID")"
  START="$(date +%s.%N)"
  java -jar "$LOAD_JAR" --port "$ENGINE_PORT" --terminals "$TERMINALS" --stores 20 \
    --rate "$RATE" --duration "$STEP_SECONDS" --warmup 5 --members "$MEMBERS" \
    --demo-secret-seed "$SEED" >"$WORK/load-$RATE.txt" 2>"$WORK/load-$RATE.err" &
  LOAD_PID=$!
  wait "$LOAD_PID"
  ELAPSED="$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')"
  E1="$(ticks "$ENGINE_PID")"; P1="$(ticks $PG_PIDS)"; R1="$(ticks "$REDIS_PID")"
  HZ="$(getconf CLK_TCK)"
  LINE="$(grep '^target=' "$WORK/load-$RATE.txt")"
  CPU="$(awk -v e=$((E1-E0)) -v p=$((P1-P0)) -v r=$((R1-R0)) -v t="$ELAPSED" -v hz="$HZ" \
    'BEGIN { printf "cpu_engine=%.2f cpu_postgres=%.2f cpu_redis=%.2f", e/hz/t, p/hz/t, r/hz/t }')"
  echo "$LINE $CPU" | tee -a "$WORK/steps.txt"
  OK="$(echo "$LINE" | awk -v cb="$CHECKOUT_P99_BOUND_MS" -v qb="$QUOTE_P99_BOUND_MS" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print (v["checkout_p99_ms"] <= cb && v["quote_p99_ms"] <= qb \
           && v["achieved"] >= 0.95 * v["target"] && v["failed"] == 0) ? "yes" : "no" }')"
  [ "$OK" = "yes" ] || break
  BEST="$LINE $CPU"
  RATE=$(( RATE + RATE_STEP ))
done

echo "== where the engine's time goes (JFR execution samples over the whole run)"
jcmd "$ENGINE_PID" JFR.dump filename="$WORK/engine.jfr" >/dev/null 2>&1 || true
jfr print --events jdk.ExecutionSample "$WORK/engine.jfr" 2>/dev/null \
  | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print }' \
  | sort | uniq -c | sort -rn | head -25 >"$WORK/profile.txt" || true

echo "== result"
MACHINE="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),\
 $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), Java $(java -version 2>&1 | head -1 \
 | cut -d'"' -f2), PostgreSQL $($PG_BIN/postgres --version | awk '{print $3}'),\
 Redis $(redis-server --version | grep -oE 'v=[0-9.]+' | cut -d= -f2)"
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`load-tests/bench/bench.sh $STEP_SECONDS $FIRST_RATE $RATE_STEP $MAX_RATE\`"
  echo "on $(date -u +%Y-%m-%d): $MACHINE. Everything — PostgreSQL (fsync on), Redis, the engine"
  echo "and the load generator — ran on this one machine, over loopback. Latencies are measured"
  echo "from each sale's intended start (open model, no coordinated omission); the checkout's"
  echo "from when it was sent after its quote's answer."
  echo
  echo "## Floors (same run, same machine)"
  echo
  echo "| floor | rate |"
  echo "| --- | --- |"
  echo "| pgbench, member checkout commit, one per transaction (8 clients) | $PGBENCH_ONE tx/s |"
  echo "| pgbench, the same, 16 per transaction (2 clients) | $PGBENCH_BATCH checkouts/s |"
  echo "| redis-benchmark EVALSHA reserve.lua (16 clients) | $REDIS_RESERVE/s |"
  echo "| the same, pipelined 16 | $REDIS_RESERVE_P/s |"
  echo "| redis-benchmark EVALSHA commit.lua (16 clients) | $REDIS_COMMIT/s |"
  echo "| the same, pipelined 16 | $REDIS_COMMIT_P/s |"
  echo
  echo "## Engine: full sales (quote + checkout), realistic mix, $TERMINALS terminals, $MEMBERS members"
  echo
  echo "Bounds: checkout p99 <= $CHECKOUT_P99_BOUND_MS ms, quote p99 <= $QUOTE_P99_BOUND_MS ms, no"
  echo "errors, achieved >= 95% of target. Every step:"
  echo
  echo '```'
  cat "$WORK/steps.txt"
  echo '```'
  echo
  echo "## Where the engine's time goes"
  echo
  echo "Top frames of JFR's execution samples over the whole run (\`jfr print --events"
  echo "jdk.ExecutionSample\`), most sampled first:"
  echo
  echo '```'
  cat "$WORK/profile.txt"
  echo '```'
  echo
  if [ -n "$BEST" ]; then
    echo "Highest rate within the bounds:"
    echo
    echo '```'
    echo "$BEST"
    echo '```'
    echo "$BEST" | awk -v one="$PGBENCH_ONE" -v batch="$PGBENCH_BATCH" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "\nRatio to the one-per-transaction pgbench floor: **%.2f**; to the batched floor: %.2f.\n",
        v["achieved"] / one, v["achieved"] / batch }'
  else
    echo "No step stayed within the bounds (the first rate, $FIRST_RATE/s, was already too high)."
  fi
} | tee BENCHMARKS.md
echo "(raw outputs in $WORK)"
