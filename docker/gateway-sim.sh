#!/bin/sh
# The gateway simulator in a container of its own (docker/compose.yaml, service gateway-sim).
#
# The simulator listens, and sends its notifications, on loopback only: a test double of a
# payment gateway must never be reachable from beyond the host it runs on, and it refuses any
# other address. In compose the engines run in other containers, so two socat bridges stand
# in for the network path a real gateway has:
#
#   0.0.0.0:8091   -> 127.0.0.1:8090          the engines' calls to the three channels
#   127.0.0.1:8080 -> $GATEWAY_SIM_CALLBACK_TARGET (default lb:8080)
#                                              its notifications, to any engine node
#
# The simulator writes the engine's keys to <keys>/engine with its own base URL
# (http://127.0.0.1:8090); this script publishes a copy in <keys>/engine-compose whose base
# URLs name the bridge ($GATEWAY_SIM_BASE_URL), and that copy is the engines'
# KASSA_PAYMENT_KEYS_DIR. The keys themselves (<keys>/gateway) are generated at the first
# start and reloaded afterwards.
#
# Arguments are passed to gateway-sim (--latency-ms, --failure-share, ...: see its --help).
set -u

keys="${GATEWAY_SIM_KEYS_DIR:-/keys}"
callback_target="${GATEWAY_SIM_CALLBACK_TARGET:-lb:8080}"
bridged_base_url="${GATEWAY_SIM_BASE_URL:-http://gateway-sim:8091}"
jar="${GATEWAY_SIM_JAR:-/opt/kassa/kassa-peripherals.jar}"

socat TCP-LISTEN:8091,fork,reuseaddr TCP:127.0.0.1:8090 &
bridges=$!
socat TCP-LISTEN:8080,bind=127.0.0.1,fork,reuseaddr "TCP:${callback_target}" &
bridges="$bridges $!"
# The bridges end with the script (in a container they would end with it anyway).
trap 'kill $bridges 2>/dev/null' EXIT

# Nothing from an earlier start may pass for this start's engine files (the health check
# looks for the copy).
rm -rf "$keys/engine-compose" "$keys/engine-compose.new" "$keys/engine/merchant.properties"

java -jar "$jar" gateway-sim --port 8090 \
    --callback-url http://127.0.0.1:8080 --keys-dir "$keys" "$@" &
sim=$!
# docker stop: the simulator writes today's statement, then stops.
trap 'kill -TERM "$sim" 2>/dev/null' TERM INT

# merchant.properties is the last file the simulator writes for the engine.
waited=0
until [ -s "$keys/engine/merchant.properties" ]; do
    if ! kill -0 "$sim" 2>/dev/null; then
        wait "$sim"
        exit $?
    fi
    if [ "$waited" -ge 120 ]; then
        echo "gateway-sim.sh: no engine keys in $keys/engine after 60 s" >&2
        kill -TERM "$sim" 2>/dev/null
        wait "$sim"
        exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
done
sleep 1
cp -R "$keys/engine" "$keys/engine-compose.new" \
    && sed -i -E "s#^([a-z]+\.base-url)=.*#\1=${bridged_base_url}#" \
        "$keys/engine-compose.new/merchant.properties" \
    && mv "$keys/engine-compose.new" "$keys/engine-compose" \
    || { echo "gateway-sim.sh: could not publish $keys/engine-compose" >&2; exit 1; }
echo "gateway-sim.sh: engine keys in $keys/engine-compose (channels at $bridged_base_url)"

status=0
wait "$sim" || status=$?
# A signal ends the first wait at once; the simulator is still writing its statement.
if kill -0 "$sim" 2>/dev/null; then
    status=0
    wait "$sim" || status=$?
fi
exit "$status"
