#!/usr/bin/env bash
# The benchmark of record: one script, everything on this machine, loopback only.
#
#   1. starts its own PostgreSQL (a fresh cluster in a temporary directory; fsync and
#      synchronous_commit on, as in production) and Redis (no persistence), on spare ports,
#      and the gateway simulator (every scanned-code payment asks for a password: USERPAYING);
#   2. measures the floors on them: pgbench on the exact statements of a member checkout's
#      commit transaction (one per transaction, and 16 per transaction), redis-benchmark on
#      EVALSHA of the reserve and commit scripts (unpipelined and pipelined);
#   3. starts the engine against them with 9,999 demo members, quotes each member once (so the
#      steps measure regular customers the engine holds, not first visits), warms it up (90 s
#      at the first rate: minutes of traffic before its JIT settles on two shared cores), and
#      steps the load
#      generator's arrival rate in one generator process over the same connections (open model,
#      latency from the intended start; the realistic mix, 10% of
#      sales paid by scanned code, 2% refunded) until the checkout p99 passes 25 ms, the quote p99 passes
#      2 ms, or the achieved rate falls below 95% of the target (code sales wait seconds for the
#      customer's password by design: reported apart, outside the bounds);
#   4. prints one table — the engine's highest sustained rate, its latencies, CPU per process,
#      the ratios to the floors — and where the engine's time goes (JFR, at the highest rate
#      carried and over all the steps), and writes it to BENCHMARKS.md with the machine's
#      description.
#
# usage: load-tests/bench/bench.sh [step_seconds=20] [first_rate=200] [rate_step=200]
#                                  [max_rate=5000]
# env:   KASSA_BENCH_SKIP_BUILD=1 uses the jars already built (for repeated runs);
#        KASSA_BENCH_OUT=FILE writes the page there instead of BENCHMARKS.md;
#        KASSA_BENCH_USERPAYING=P makes P% of sales pay by scanned code (default 10);
#        KASSA_BENCH_ENGINE_JAR=FILE benchmarks that engine jar (another build, to compare);
#        KASSA_BENCH_LOAD_JAVA_OPTS adds JVM options to the load generator (to profile it);
#        KASSA_BENCH_ENGINE_JAVA_OPTS adds JVM options to the engine (another collector, ...);
#        KASSA_BENCH_WARMUP_SECONDS=S warms the engine up for S seconds first (default 90);
#        KASSA_BENCH_QUOTE_P99_MS / KASSA_BENCH_CHECKOUT_P99_MS relax the bounds (default 2 and
#        25, the issue's) to see how far the rate goes on a machine where they are out of reach.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEP_SECONDS="${1:-20}"
FIRST_RATE="${2:-200}"
RATE_STEP="${3:-200}"
MAX_RATE="${4:-5000}"
CHECKOUT_P99_BOUND_MS="${KASSA_BENCH_CHECKOUT_P99_MS:-25}"
QUOTE_P99_BOUND_MS="${KASSA_BENCH_QUOTE_P99_MS:-2}"
SUSTAINED_P99_MS=250
# The engine's JIT needs minutes of traffic on two shared cores before its CPU per sale settles.
WARMUP_SECONDS="${KASSA_BENCH_WARMUP_SECONDS:-90}"
# Enough members that their coupons and stored value last the whole stepping (each demo member
# has two coupons and 500 yuan); the demo's member codes have four digits.
MEMBERS=9999
# A member sale uses a coupon whenever the member holds one (the 5-yuan one needs no minimum
# spend), and the stepping reaches ~1,200 sales/s, about 14 sales per member by then with
# 20 s steps: enough coupons that the share of sales with one stays above the mix's 40% to
# the end (with 6 each it fell to 30% at 700/s and 2% at 1,000/s, making the last steps
# cheaper than the mix).
COUPONS_PER_MEMBER=16
# Every member is quoted once before the warm-up, at this rate (25 s for 9,999 members).
SWEEP_PER_SECOND=400
TERMINALS=400
PG_PORT=55432
REDIS_PORT=56379
ENGINE_PORT=57420
ENGINE_HTTP_PORT=58080
GATEWAY_PORT=58090
USERPAYING_PERCENT="${KASSA_BENCH_USERPAYING:-10}"
PASSWORD_MS=2000
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
busy_ticks() { # clock ticks the whole machine spent busy (every process, every core)
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
steal_ticks() { # clock ticks the hypervisor gave this machine's cores to someone else
  awk '/^cpu / { print $9; exit }' /proc/stat; }
postgres_pids() { pgrep -f "postgres.*$WORK/pg" | tr '\n' ' '; pgrep -P "$(head -1 \
  "$WORK/pg/postmaster.pid")" | tr '\n' ' '; }

OUT_FILE="${KASSA_BENCH_OUT:-BENCHMARKS.md}"
if [ "${KASSA_BENCH_SKIP_BUILD:-}" = 1 ]; then
  echo "== using the jars already built"
else
  echo "== building"
  mvn -q -B install -DskipTests
fi

echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT ($WORK)"
mkdir -p "$WORK/pg" && chown postgres "$WORK" "$WORK/pg"
su postgres -c "$PG_BIN/initdb -D $WORK/pg -A trust -U postgres" >"$WORK/initdb.log"
su postgres -c "$PG_BIN/pg_ctl -D $WORK/pg -l $WORK/pg.log -w -o \
  '-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=256MB \
   -c max_connections=100 -c fsync=on -c synchronous_commit=on \
   -c shared_preload_libraries=pg_stat_statements' start" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$WORK/redis.log"
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

echo "== gateway simulator on 127.0.0.1:$GATEWAY_PORT (USERPAYING, password in $PASSWORD_MS ms)"
java -jar peripherals/target/kassa-peripherals.jar gateway-sim --port "$GATEWAY_PORT" \
  --keys-dir "$WORK/gateway-keys" --callback-url "http://127.0.0.1:$ENGINE_HTTP_PORT" \
  --userpaying-share 1 --password-ms "$PASSWORD_MS" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
for _ in $(seq 1 120); do
  grep -q "gateway-sim: listening" "$WORK/gateway.log" 2>/dev/null && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$WORK/gateway.log"; exit 1; }
  sleep 0.5
done

echo "== engine"
KASSA_PG_URL="$PG_URL" KASSA_REDIS_URL="$REDIS_URL" KASSA_PG_SCHEMA=kassa \
  KASSA_TERMINAL_HOST=127.0.0.1 KASSA_TERMINAL_PORT="$ENGINE_PORT" KASSA_LOG_LEVEL=WARN \
  KASSA_HTTP_HOST=127.0.0.1 KASSA_HTTP_PORT="$ENGINE_HTTP_PORT" \
  KASSA_PAYMENT_KEYS_DIR="$WORK/gateway-keys/engine" \
  KASSA_DEMO_TERMINAL_SECRET_SEED="$SEED" KASSA_DEMO_MEMBERS="$MEMBERS" \
  KASSA_DEMO_MEMBER_COUPONS="$COUPONS_PER_MEMBER" \
  KASSA_SCRATCH_DATABASE=yes-throw-away-data \
  java -Xms1g -Xmx1g ${KASSA_BENCH_ENGINE_JAVA_OPTS:-} \
  -XX:StartFlightRecording=name=bench,settings=profile,maxage=30m \
  -jar "${KASSA_BENCH_ENGINE_JAR:-engine/server/target/kassa-engine.jar}" \
  >"$WORK/engine.log" 2>&1 &
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
# For comparison with earlier runs: the same statements each waiting for its answer before the
# next is sent, as the engine sent them before its batches were pipelined.
grep -v 'pipeline$' load-tests/bench/commit-one.sql >"$WORK/commit-one-serial.sql"
pgbench -n -M prepared -c 8 -j 2 -T "$STEP_SECONDS" -D members=2000 \
  -f "$WORK/commit-one-serial.sql" "$PGBENCH_URL" >"$WORK/pgbench-one-serial.txt" 2>&1
PGBENCH_ONE_SERIAL="$(grep -oE 'tps = [0-9.]+' "$WORK/pgbench-one-serial.txt" | head -1 \
  | cut -d' ' -f3)"
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
echo "pgbench one/tx $PGBENCH_ONE tps (statements one by one: $PGBENCH_ONE_SERIAL);" \
  "batched $PGBENCH_BATCH checkouts/s;" \
  "redis reserve $REDIS_RESERVE/s (pipelined $REDIS_RESERVE_P/s)," \
  "commit $REDIS_COMMIT/s (pipelined $REDIS_COMMIT_P/s)"

LOAD_JAR=load-tests/target/kassa-load-tests.jar
RATES="$(seq -s, "$FIRST_RATE" "$RATE_STEP" "$MAX_RATE")"
# One generator process steps through every rate over the same 400 connections: its start-up,
# handshakes and JIT happen once, in the warm-up, instead of inside every step's measurement.
# The serial collector keeps its GC threads out of the engine's way, and a young generation
# large enough for a step's garbage keeps its pauses (which every sale in flight would count as
# latency) rare. It stops after the first step past what a customer would wait (both p99 over
# $SUSTAINED_P99_MS ms, under 95% of the rate, or a failed sale).
load_steps() {
  java -XX:+UseSerialGC -Xms1g -Xmx1g -Xmn768m -XX:+AlwaysPreTouch \
    ${KASSA_BENCH_LOAD_JAVA_OPTS:-} -jar "$LOAD_JAR" \
    --port "$ENGINE_PORT" --terminals "$TERMINALS" --stores 20 \
    --rates "$RATES" --duration "$STEP_SECONDS" --warmup "$WARMUP_SECONDS" --settle 3 \
    --stop-above-ms "$SUSTAINED_P99_MS" --sweep-members "$SWEEP_PER_SECOND" \
    --members "$MEMBERS" --userpaying "$USERPAYING_PERCENT" --demo-secret-seed "$SEED"
}

# Round trips per sale: every statement the engine sends PostgreSQL (pg_stat_statements,
# BEGIN and COMMIT included) and every command it sends Redis (INFO commandstats), counted
# over all the steps below and divided by the sales they committed.
psql -q "$PGBENCH_URL" -c "create extension if not exists pg_stat_statements" >/dev/null
committed_sales() { psql -tA "$PGBENCH_URL" -c \
  "select count(*) from kassa.sales_order where status = 'COMMITTED'"; }
# The engine's own count of what it sent: each use of a pooled connection is one single
# command or one pipeline (Redis), one statement or one transaction (PostgreSQL).
pool_uses() { curl -s "http://127.0.0.1:$ENGINE_HTTP_PORT/metrics" | awk -v t="$1" \
  '/^vertx_pool_completed_total/ && index($0, "pool_type=\"" t "\"") { s += $2 }
   END { printf "%d", s }'; }
start_counting() { # at the first measured step: the warm-up's calls and profile left out
  psql -q "$PGBENCH_URL" -c "select pg_stat_statements_reset()" -c "select pg_stat_reset()" \
    >/dev/null
  redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT >/dev/null
  SALES_BEFORE="$(committed_sales)"
  REDIS_USES_BEFORE="$(pool_uses redis)"; SQL_USES_BEFORE="$(pool_uses sql)"
  # The engine records from its start (starting a recording under load stalls it for
  # seconds on two cores); the profile counts the samples from here on.
  PROFILE_BEGIN="$(date +%s.%N)"
}

echo "== every member quoted once at $SWEEP_PER_SECOND/s, $WARMUP_SECONDS s of warm-up at" \
  "$FIRST_RATE/s (not measured: the engine's and the generator's JIT), then the rates $RATES"
within() { # whether the step line $LINE keeps checkout p99 <= $1 ms, quote p99 <= $2 ms, the rate
  echo "$LINE" | awk -v cb="$1" -v qb="$2" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print (v["checkout_p99_ms"] <= cb && v["quote_p99_ms"] <= qb \
           && v["achieved"] >= 0.95 * v["target"] && v["failed"] == 0) ? "yes" : "no" }'; }
BEST=""
SUSTAINED=""
SUSTAINED_WINDOW=""
COUNTING=""
: >"$WORK/steps.txt"
mkfifo "$WORK/steps.fifo"
load_steps >"$WORK/steps.fifo" 2>"$WORK/load.err" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
exec 3<"$WORK/steps.fifo"
while IFS= read -r -u 3 OUT; do
  echo "$OUT" >>"$WORK/load.txt"
  case "$OUT" in
    "step target="*)
      # A step's measured window begins (after the warm-up, or its settling seconds).
      [ -n "$COUNTING" ] || { start_counting; COUNTING=yes; }
      PG_PIDS="$(postgres_pids)"
      REDIS_PID="$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT" | head -1)"
      E0="$(ticks "$ENGINE_PID")"; P0="$(ticks $PG_PIDS)"; R0="$(ticks "$REDIS_PID")"
      G0="$(ticks "$GATEWAY_PID")"; M0="$(busy_ticks)"; S0="$(steal_ticks)"
      START="$(date +%s.%N)"
      ;;
    target=*)
      ELAPSED="$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')"
      E1="$(ticks "$ENGINE_PID")"; P1="$(ticks $PG_PIDS)"; R1="$(ticks "$REDIS_PID")"
      G1="$(ticks "$GATEWAY_PID")"; M1="$(busy_ticks)"; S1="$(steal_ticks)"
      LOADAVG="$(cut -d' ' -f1 /proc/loadavg)"
      HZ="$(getconf CLK_TCK)"
      LINE="$OUT"
      CPU="$(awk -v e=$((E1-E0)) -v p=$((P1-P0)) -v r=$((R1-R0)) -v g=$((G1-G0)) \
        -v m=$((M1-M0)) -v st=$((S1-S0)) -v t="$ELAPSED" -v hz="$HZ" -v l="$LOADAVG" \
        -v line="$LINE" 'BEGIN {
          n = split(line, kv, /[ =]/); for (i = 1; i < n; i += 2) v[kv[i]] = kv[i + 1]
          printf "cpu_engine=%.2f cpu_postgres=%.2f cpu_redis=%.2f cpu_gateway=%.2f", \
            e/hz/t, p/hz/t, r/hz/t, g/hz/t
          printf " engine_cpu_ms_per_sale=%.2f cpu_machine=%.2f cpu_steal=%.2f load_average=%s", \
            (v["achieved"] > 0 ? 1000 * e/hz/t / v["achieved"] : 0), m/hz/t, st/hz/t, l }')"
      echo "$LINE $CPU" | tee -a "$WORK/steps.txt"
      # Past the bounds, the stepping goes on while the rate is still carried (what this
      # machine does at all); the generator stops where a p99 passes what a customer would wait.
      if [ "$(within "$CHECKOUT_P99_BOUND_MS" "$QUOTE_P99_BOUND_MS")" = "yes" ]; then
        BEST="$LINE $CPU"
      fi
      if [ "$(within "$SUSTAINED_P99_MS" "$SUSTAINED_P99_MS")" = "yes" ]; then
        SUSTAINED="$LINE $CPU"
        # The step's window, for the profile at the highest rate carried (dumped at the end).
        SUSTAINED_WINDOW="$START $(date +%s.%N)"
      fi
      ;;
  esac
done
exec 3<&-
wait "$LOAD_PID" || { echo "the load generator failed:"; tail -20 "$WORK/load.err"; }
[ -n "$COUNTING" ] || { echo "no step was measured"; tail -20 "$WORK/load.err"; exit 1; }

SALES_DURING=$(( $(committed_sales) - SALES_BEFORE ))
REDIS_TRIPS="$(awk -v d=$(( $(pool_uses redis) - REDIS_USES_BEFORE )) -v n="$SALES_DURING" \
  'BEGIN { printf "%.1f", d / (n > 0 ? n : 1) }')"
SQL_USES="$(awk -v d=$(( $(pool_uses sql) - SQL_USES_BEFORE )) -v n="$SALES_DURING" \
  'BEGIN { printf "%.1f", d / (n > 0 ? n : 1) }')"
psql -tA -F' ' "$PGBENCH_URL" >"$WORK/pg-calls.txt" <<SQL
select round(sum(calls)::numeric / greatest($SALES_DURING, 1), 2),
       regexp_replace(left(regexp_replace(query, '\s+', ' ', 'g'), 70), '\s+$', '')
  from pg_stat_statements
 where dbid = (select oid from pg_database where datname = current_database())
   and query not ilike '%pg_stat_statements%'
   and query !~* '\mnew\.' -- statements of triggers (NEW.…): PostgreSQL's, not round trips
 group by 2 order by 1 desc limit 25
SQL
# Tables the steps read by sequential scan (a hot-path read without an index shows here).
psql -tA -F' ' "$PGBENCH_URL" >"$WORK/pg-seq-scans.txt" <<SQL
select round(seq_tup_read::numeric / greatest($SALES_DURING, 1), 1), relname, seq_scan
  from pg_stat_user_tables
 where schemaname = 'kassa' and seq_tup_read > 0
 order by seq_tup_read desc limit 8
SQL
redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' \
  | awk -F'[_:=,]' -v n="$SALES_DURING" '/^cmdstat_/ && $2 !~ /^config/ && $2 != "info" {
      printf "%.2f %s\n", $4 / (n > 0 ? n : 1), $2 }' | sort -rn >"$WORK/redis-calls.txt"
PG_PER_SALE="$(awk '{ s += $1 } END { printf "%.1f", s }' "$WORK/pg-calls.txt")"
REDIS_PER_SALE="$(awk '{ s += $1 } END { printf "%.1f", s }' "$WORK/redis-calls.txt")"
echo "per committed sale ($SALES_DURING sales): $PG_PER_SALE PostgreSQL statements" \
  "($SQL_USES statements or transactions), $REDIS_TRIPS Redis round trips" \
  "($REDIS_PER_SALE commands, those inside scripts included)"

echo "== where the engine's time goes (JFR execution samples over the steps)"
# The engine records from its start (starting a recording under load stalls it for seconds on
# two cores); the summaries count the samples of the steps' windows alone.
jcmd "$ENGINE_PID" JFR.dump name=bench filename="$WORK/engine.jfr" >/dev/null 2>&1 || true
jfr print --stack-depth 64 --events jdk.ExecutionSample "$WORK/engine.jfr" \
  >"$WORK/samples.txt" 2>/dev/null || true
of_day() { # seconds since local midnight of the epoch time $1 (JFR prints its samples' time of
  # day on the local clock)
  awk -v t="$1" -v m="$(date -d "$(date -d "@${1%.*}" +%F)" +%s)" 'BEGIN { printf "%.3f", t - m }'; }
awk -v from="$(of_day "$PROFILE_BEGIN")" -v to="$(of_day "$(date +%s.%N)")" \
  -f load-tests/bench/profile-summary.awk "$WORK/samples.txt" >"$WORK/profile.txt" || true
cat "$WORK/profile.txt"
# The same at the highest rate carried: that step's window alone.
: >"$WORK/profile-sustained.txt"
if [ -n "$SUSTAINED_WINDOW" ]; then
  read -r WINDOW_START WINDOW_END <<<"$SUSTAINED_WINDOW"
  awk -v from="$(of_day "$WINDOW_START")" -v to="$(of_day "$WINDOW_END")" \
    -f load-tests/bench/profile-summary.awk "$WORK/samples.txt" \
    >"$WORK/profile-sustained.txt" || true
fi

echo "== result"
# The Gatling section is written by hand from the simulations' runs (README: load tests);
# this run rewrites everything above it and keeps it.
GATLING_SECTION="$(sed -n '/^## Gatling simulations/,$p' BENCHMARKS.md 2>/dev/null || true)"
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
  echo "from when it was sent after its quote's answer. One load generator process steps through"
  echo "the rates over the same $TERMINALS connections, after quoting every member once (the"
  echo "steps measure the chain's regular customers, whom the engine holds in its hot copy and"
  echo "knows by code, not their first visit after a start), $WARMUP_SECONDS s of warm-up at the first"
  echo "rate (the engine's and its own JIT) and 3 s of settling before each later step; the engine"
  echo "records JFR from its start, so every step carries that overhead. Each step also reports how"
  echo "late the generator sent its sales (\`send_lag_p99_ms\`, counted in every latency) and how"
  echo "late the machine woke a thread that slept 1 ms (\`wakeup_p99_ms\`, \`wakeup_p999_ms\`): a"
  echo "floor under every latency of the step, since a request and its answer each wait for such a"
  echo "wake-up."
  echo
  echo "## Floors (same run, same machine)"
  echo
  echo "| floor | rate |"
  echo "| --- | --- |"
  echo "| pgbench, member checkout commit, one per transaction (8 clients), its statements pipelined as the engine sends them | $PGBENCH_ONE tx/s |"
  echo "| the same with each statement waiting for the last one's answer (the floor's shape before the engine pipelined its batches) | $PGBENCH_ONE_SERIAL tx/s |"
  echo "| pgbench, the same, 16 per transaction (2 clients), pipelined | $PGBENCH_BATCH checkouts/s |"
  echo "| redis-benchmark EVALSHA reserve.lua (16 clients) | $REDIS_RESERVE/s |"
  echo "| the same, pipelined 16 | $REDIS_RESERVE_P/s |"
  echo "| redis-benchmark EVALSHA commit.lua (16 clients) | $REDIS_COMMIT/s |"
  echo "| the same, pipelined 16 | $REDIS_COMMIT_P/s |"
  echo
  echo "## Engine: full sales (quote + checkout), realistic mix, $TERMINALS terminals, $MEMBERS members"
  echo
  echo "Bounds: checkout p99 <= $CHECKOUT_P99_BOUND_MS ms, quote p99 <= $QUOTE_P99_BOUND_MS ms, no"
  echo "errors, achieved >= 95% of target; past them the stepping goes on while the rate is carried"
  echo "with both p99 <= $SUSTAINED_P99_MS ms. Every step:"
  echo
  echo '```'
  cat "$WORK/steps.txt"
  echo '```'
  echo
  echo "## Round trips per sale"
  echo
  echo "Over all the steps, per committed sale ($SALES_DURING sales; quotes, refunds and the"
  echo "background duties included):"
  echo
  echo "- Redis: **$REDIS_TRIPS round trips** (the engine's Redis pool lent a connection that often:"
  echo "  one single command or one pipeline each); $REDIS_PER_SALE commands as Redis counts them"
  echo "  (\`INFO commandstats\`, which also counts the commands run inside the Lua scripts)."
  echo "- PostgreSQL: **$SQL_USES single statements or transactions** (the engine's pool lent a"
  echo "  connection that often; a group commit's transaction is shared by its batch) and"
  echo "  $PG_PER_SALE statements (\`pg_stat_statements\`, BEGIN and COMMIT included, the triggers'"
  echo "  own statements not; statements of one transaction are pipelined where they can be)."
  echo
  echo "Rows read by sequential scan per committed sale, by table (scans in the last column;"
  echo "small tables of configuration are read whole by design):"
  echo
  echo '```'
  if [ -s "$WORK/pg-seq-scans.txt" ]; then cat "$WORK/pg-seq-scans.txt"; else echo "none"; fi
  echo '```'
  echo
  echo "Calls per committed sale, most first:"
  echo
  echo '```'
  cat "$WORK/pg-calls.txt"
  echo
  cat "$WORK/redis-calls.txt"
  echo '```'
  echo
  echo "## Where the engine's time goes"
  echo
  if [ -s "$WORK/profile-sustained.txt" ]; then
    echo "JFR (settings=profile) at the highest rate carried ($(echo "$SUSTAINED" \
      | grep -oE '^target=[0-9]+' | cut -d= -f2)/s, that step's window alone), its execution"
    echo "samples summarised by \`load-tests/bench/profile-summary.awk\`:"
    echo
    echo '```'
    cat "$WORK/profile-sustained.txt"
    echo '```'
    echo
    echo "The same over all the steps:"
  else
    echo "JFR (settings=profile) over all the steps, its execution samples summarised by"
    echo "\`load-tests/bench/profile-summary.awk\`:"
  fi
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
  if [ -n "$SUSTAINED" ] && [ "$SUSTAINED" != "$BEST" ]; then
    echo
    echo "Past the bounds, the highest rate carried (achieved >= 95% of target, no errors) with"
    echo "quote and checkout p99 <= $SUSTAINED_P99_MS ms:"
    echo
    echo '```'
    echo "$SUSTAINED"
    echo '```'
    echo "$SUSTAINED" | awk -v one="$PGBENCH_ONE" -v serial="$PGBENCH_ONE_SERIAL" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "\n%.2f× the one-per-transaction pgbench floor (%.2f× the same statements sent", \
        v["achieved"] / one, v["achieved"] / serial
      printf " one by one).\n" }'
  fi
  # What limits it, from the last step's own figures: how busy the machine was, and how many
  # sales the engine's CPU per sale would allow if it had both cores to itself.
  tail -1 "$WORK/steps.txt" | awk -v one="$PGBENCH_ONE" -v cores="$(nproc)" \
    -v terminals="$TERMINALS" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (v["engine_cpu_ms_per_sale"] + 0 <= 0) exit
    ours = v["cpu_engine"] + v["cpu_postgres"] + v["cpu_redis"] + v["cpu_gateway"] \
      + v["cpu_generator"]
    printf "\nWhat limits it, at the last step (%s/s targeted, %s/s achieved): the machine was busy", \
      v["target"], v["achieved"]
    printf " %.2f of its %d cores (load average %s), of which this run took %.2f (engine %.2f,", \
      v["cpu_machine"], cores, v["load_average"], ours, v["cpu_engine"]
    printf " PostgreSQL %.2f, Redis %.2f, gateway simulator %.2f, load generator %.2f): %.2f ms", \
      v["cpu_postgres"], v["cpu_redis"], v["cpu_gateway"], v["cpu_generator"], \
      1000 * ours / v["achieved"]
    printf " of CPU per sale together, of which the engine %.2f ms (upper bounds: the window", \
      v["engine_cpu_ms_per_sale"]
    printf " also holds the background duties and the last sales of the step before). At that cost the engine alone"
    printf " could carry %.0f sales/s on both cores, %.2f× the one-per-transaction pgbench floor;", \
      1000 * cores / v["engine_cpu_ms_per_sale"], \
      1000 * cores / v["engine_cpu_ms_per_sale"] / one
    printf " 1.0× takes at most %.2f ms per sale for the engine, PostgreSQL, Redis and the load", \
      1000 * cores / one
    printf " together. In that step a thread asking to sleep 1 ms woke %s ms late at p99 and %s ms", \
      v["wakeup_p99_ms"], v["wakeup_p999_ms"]
    printf " at p99.9: no latency of that step can be lower, however fast the engine.\n" }'
  echo
  echo "Each step's line also gives the sales paid by scanned code (\`userpaying_p50_ms\`,"
  echo "\`userpaying_p99_ms\`: they wait for the customer's $PASSWORD_MS ms password and the"
  echo "engine's query of the channel) and the mix the completed sales turned out to have"
  echo "(\`mix_*_pct\`; coupons apply by themselves when a member holds one the basket qualifies"
  echo "for; \`mix_refund_pct\`: sales refunded whole right after, \`refund_p99_ms\`)."
  echo "\`cpu_steal\` is the cores' time the hypervisor gave to other machines during the step"
  echo "(a busy neighbour; it counts in \`cpu_machine\`)."
  if [ -n "$GATLING_SECTION" ]; then
    echo
    echo "$GATLING_SECTION"
  fi
} | tee "$OUT_FILE"
echo "(raw outputs in $WORK)"
