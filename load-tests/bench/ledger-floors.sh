#!/usr/bin/env bash
# The durable-commit benchmark of the balances/ledger work, with its floors measured in the
# same run on the same machine:
#   1. the engine's own path (LedgerBenchmark): member checkouts with a points, a stored-value
#      and a cash tender — hold in Redis, group commit to PostgreSQL, hold committed in Redis —
#      at a fixed arrival rate, latency from each checkout's intended start;
#   2. pgbench on the exact statements of one checkout's commit transaction (commit-one.sql),
#      one checkout per transaction, and batched 16 per transaction (commit-batch16.sql);
#   3. redis-benchmark on EVALSHA of the reserve and commit scripts, unpipelined and
#      pipelined.
# The engine is run at the single-transaction pgbench rate times RATIO (default 1.0).
#
# usage: load-tests/bench/ledger-floors.sh [seconds=20] [ratio=1.0] [members=2000]
# env:   KASSA_PG_URL (default postgresql://postgres@127.0.0.1:5432/test),
#        KASSA_REDIS_URL (default redis://127.0.0.1:6379) — both are FLUSHED / overwritten
#        in schema bench_ledger: point them at scratch servers only.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN="${1:-20}"
RATIO="${2:-1.0}"
MEMBERS="${3:-2000}"
PG_URL="${KASSA_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
REDIS_URL="${KASSA_REDIS_URL:-redis://127.0.0.1:6379}"
REDIS_HOST="$(echo "$REDIS_URL" | sed -E 's#redis://([^:/]+).*#\1#')"
REDIS_PORT="$(echo "$REDIS_URL" | sed -E 's#redis://[^:]+:([0-9]+).*#\1#')"
OUT="$(mktemp -d)"

echo "== building"
mvn -q -B install -DskipTests
mvn -q -B -pl engine/server test-compile
CP="$(mvn -q -B -pl engine/server dependency:build-classpath -Dmdep.outputFile=/dev/stdout \
  -Dmdep.includeScope=test):engine/server/target/classes:engine/server/target/test-classes"

run_engine() {
  java -cp "$CP" io.kassa.engine.server.bench.LedgerBenchmark "$PG_URL" "$REDIS_URL" "$1" \
    "$SECONDS_RUN" "$MEMBERS" 2>"$OUT/engine.err" | tee "$OUT/engine.out"
}

echo "== seeding schema bench_ledger (a short engine run at 100/s)"
SECONDS_SAVED="$SECONDS_RUN"; SECONDS_RUN=3; run_engine 100 >/dev/null; SECONDS_RUN="$SECONDS_SAVED"

PGBENCH_URL="$(echo "$PG_URL" | sed -E 's#^postgresql://#postgres://#')"
echo "== pgbench: one checkout per transaction (8 clients)"
pgbench -n -M prepared -c 8 -j 2 -T "$SECONDS_RUN" -D members="$MEMBERS" \
  -f load-tests/bench/commit-one.sql "$PGBENCH_URL" >"$OUT/pgbench-one.txt" 2>&1
PGBENCH_ONE="$(grep -oE 'tps = [0-9.]+' "$OUT/pgbench-one.txt" | head -1 | cut -d' ' -f3)"
echo "pgbench_one_per_tx_tps=$PGBENCH_ONE"

echo "== pgbench: 16 checkouts per transaction (2 clients)"
pgbench -n -M prepared -c 2 -j 2 -T "$SECONDS_RUN" -D members="$MEMBERS" \
  -f load-tests/bench/commit-batch16.sql "$PGBENCH_URL" >"$OUT/pgbench-batch.txt" 2>&1
PGBENCH_BATCH_TPS="$(grep -oE 'tps = [0-9.]+' "$OUT/pgbench-batch.txt" | head -1 | cut -d' ' -f3)"
PGBENCH_BATCH="$(awk -v t="$PGBENCH_BATCH_TPS" 'BEGIN { print t * 16 }')"
printf 'pgbench_batched16_checkouts_per_s=%.1f\n' "$PGBENCH_BATCH"

echo "== redis-benchmark: EVALSHA reserve and commit"
RESERVE_SHA="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" SCRIPT LOAD \
  "$(cat engine/server/src/main/resources/redis/reserve.lua)")"
COMMIT_SHA="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" SCRIPT LOAD \
  "$(cat engine/server/src/main/resources/redis/commit.lua)")"
GEN="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" GET kassa:generation)"
TODAY="$(( $(date +%s) / 86400 ))"
M='kassa:{m:bench-0}:'
reserve() {
  redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -n 100000 -c 16 -r 100000000 "$@" -q \
    EVALSHA "$RESERVE_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" "${M}hold:rb-__rand_int__" \
    "$GEN" 1 1 "$TODAY" 9999999999999 | grep -oE '[0-9.]+ requests per second' | cut -d' ' -f1
}
commit() {
  redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -n 100000 -c 16 -r 100000000 "$@" -q \
    EVALSHA "$COMMIT_SHA" 5 "${M}bal" "${M}lots" "${M}lot" "${M}cpn" "${M}hold:rb-__rand_int__" \
    "$TODAY" 0 60 | grep -oE '[0-9.]+ requests per second' | cut -d' ' -f1
}
REDIS_RESERVE="$(reserve)"; REDIS_RESERVE_P16="$(reserve -P 16)"
REDIS_COMMIT="$(commit)"; REDIS_COMMIT_P16="$(commit -P 16)"
echo "redis_reserve_per_s=$REDIS_RESERVE redis_reserve_pipelined16_per_s=$REDIS_RESERVE_P16"
echo "redis_commit_per_s=$REDIS_COMMIT redis_commit_pipelined16_per_s=$REDIS_COMMIT_P16"

RATE="$(awk -v t="$PGBENCH_ONE" -v r="$RATIO" 'BEGIN { print t * r }')"
printf '== engine at %.0f checkouts/s (%s x the one-per-transaction pgbench floor)\n' \
  "$RATE" "$RATIO"
run_engine "$RATE"
ENGINE="$(grep -oE 'engine_commits_per_second=[0-9.]+' "$OUT/engine.out" | cut -d= -f2)"
awk -v e="$ENGINE" -v o="$PGBENCH_ONE" -v b="$PGBENCH_BATCH" 'BEGIN {
  printf "ratio_engine_to_pgbench_one_per_tx=%.2f\nratio_engine_to_pgbench_batched16=%.2f\n",
    e / o, e / b }'
echo "(raw outputs in $OUT)"
