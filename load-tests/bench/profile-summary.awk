# Summarises JFR execution samples (`jfr print --stack-depth 64 --events jdk.ExecutionSample`)
# into where the engine's CPU goes:
#   1. self time by the code that did the work: each sample goes to the first frame that is
#      not the JDK's own (java., jdk., sun.), so a HashMap.get or a String.format counts for
#      whoever called it, then frames are grouped into the parts of the engine;
#   2. inclusive shares of the steps of a sale (a sample counts for each step on its stack);
#   3. the hottest methods (top frames as sampled).
# usage: jfr print ... | awk [-v from=S -v to=S] -f profile-summary.awk
#   from, to: seconds since midnight of the samples' clock (JFR prints each sample's time of
#   day, not its date), bounding the samples counted; a window across midnight has to < from.
#   A dump holds whole chunks of the recording, so its own begin/end do not bound it.

function part(frame) {
  if (frame ~ /^io\.netty\./) return "network I/O (Netty: sockets, buffers, event loop)"
  if (frame ~ /^io\.vertx\.pgclient\.|^io\.vertx\.sqlclient\./) return "PostgreSQL client (encode, decode, pool)"
  if (frame ~ /^io\.vertx\.redis\./) return "Redis client (encode, decode, pool)"
  if (frame ~ /^io\.vertx\.micrometer\.|^io\.micrometer\.|^io\.prometheus\./) return "metrics (Micrometer)"
  if (frame ~ /^io\.vertx\./) return "Vert.x core (futures, contexts, timers)"
  if (frame ~ /^com\.google\.protobuf\./) return "protobuf (terminal messages)"
  if (frame ~ /^io\.kassa\.protocol\./) return "protocol (framing, validation)"
  if (frame ~ /^io\.kassa\.engine\.core\./) return "pricing and settlement (engine core)"
  if (frame ~ /^io\.kassa\.engine\.server\.terminal\./) return "terminal sessions (engine)"
  if (frame ~ /^io\.kassa\.engine\.server\.postgres\./) return "ledger and member reads (engine, PostgreSQL side)"
  if (frame ~ /^io\.kassa\.engine\.server\.redis\./) return "hot copy calls (engine, Redis side)"
  if (frame ~ /^io\.kassa\.engine\.server\.(checkout|gateways)\./) return "checkout orchestration (engine)"
  if (frame ~ /^io\.kassa\./) return "other engine code"
  if (frame ~ /^com\.fasterxml\.|^io\.vertx\.core\.json/) return "JSON"
  if (frame ~ /^ch\.qos\.|^org\.slf4j\./) return "logging"
  if (frame ~ /^com\.hazelcast\./) return "cluster (Hazelcast)"
  if (frame ~ /^(java|jdk|sun)\./) return "JDK alone (no library frame on the stack)"
  return "other libraries"
}

function inWindow(t) {
  if (from == "" || to == "") return 1
  return from <= to ? (t >= from && t <= to) : (t >= from || t <= to)
}

function finish(   i, owner, seen, key) {
  if (depth == 0) return
  if (!counted) { depth = 0; return }
  samples++
  owner = ""
  for (i = 1; i <= depth; i++) {
    if (frames[i] !~ /^(java|jdk|sun)\./) { owner = frames[i]; break }
  }
  self[part(owner == "" ? frames[1] : owner)]++
  top[frames[1]]++
  split("", seen)
  for (i = 1; i <= depth; i++) {
    for (key in steps) {
      if (!(key in seen) && index(frames[i], steps[key]) > 0) { inclusive[key]++; seen[key] = 1 }
    }
  }
  depth = 0
}

BEGIN {
  steps["quote: pricing (QuoteEngine.quote)"] = "engine.core.quote.QuoteEngine.quote("
  steps["checkout: settlement (Checkout.complete)"] = "engine.core.sale.Checkout.complete("
  steps["ledger: building and writing the batch (PgSalesLedger)"] = "postgres.PgSalesLedger."
  steps["ledger: member effects (PgMemberEffects)"] = "postgres.PgMemberEffects."
  steps["member read (PgMemberDirectory)"] = "postgres.PgMemberDirectory."
  steps["hot copy (RedisMemberBalances)"] = "redis.RedisMemberBalances."
  steps["terminal: reading and answering frames (TerminalConnection)"] = "terminal.TerminalConnection."
  steps["protobuf parse and write"] = "com.google.protobuf."
  steps["PostgreSQL client"] = "io.vertx.pgclient."
  steps["Redis client"] = "io.vertx.redis."
  steps["metrics"] = "io.micrometer."
  steps["logging"] = "ch.qos.logback."
  steps["socket reads and writes (NIO)"] = "sun.nio.ch.SocketChannelImpl."
}

/^jdk\.ExecutionSample/ { finish(); inStack = 0; counted = 1; next }
/^[ \t]*startTime = [0-9]+:[0-9]+:[0-9.]+/ {
  split($3, hms, ":")
  counted = inWindow(hms[1] * 3600 + hms[2] * 60 + hms[3])
  next
}
/stackTrace = \[/ { inStack = 1; depth = 0; next }
inStack && /^[ \t]*\]/ { inStack = 0; next }
inStack {
  line = $0
  sub(/^[ \t]+/, "", line)
  sub(/[ \t]+line:.*/, "", line)
  if (line == "...") next
  frames[++depth] = line
  next
}

END {
  finish()
  if (samples == 0) { print "no execution samples"; exit }
  printf "%d execution samples of the engine's threads.\n\n", samples
  print "Self time, by the code that did the work (JDK frames count for their caller):"
  for (key in self) printf "%6.1f%%  %s\n", 100 * self[key] / samples, key | "sort -rn"
  close("sort -rn")
  print ""
  print "Inclusive, by step (a sample counts for every step on its stack):"
  for (key in inclusive) printf "%6.1f%%  %s\n", 100 * inclusive[key] / samples, key | "sort -rn"
  close("sort -rn")
  print ""
  print "Hottest methods (top frame):"
  for (key in top) printf "%6.1f%%  %s\n", 100 * top[key] / samples, key | "sort -rn | head -15"
  close("sort -rn | head -15")
}
