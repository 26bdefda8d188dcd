#!/usr/bin/env bash
# Manual smoke test of the registry runner jar, on 127.0.0.1 only.
#   embedded-platform/registry-server/smoke.sh [path/to/sluice-registry-server-*-runner.jar] [port]
# Starts the server with an H2 file database in a temp dir, registers an Avro schema through
# the Confluent-compatible API, reads it back by id, checks that a backward-incompatible
# version is refused with 409, checks the native v2 API, restarts (once after SIGTERM, once
# after SIGKILL) and checks that subjects and ids survived. Prints timings and RSS.
# Stops every process it started. Exit code 0 = all checks passed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$(ls "$here"/target/sluice-registry-server-*-runner.jar 2>/dev/null | head -1)}"
port="${2:-18181}"
[[ -f "$jar" ]] || { echo "runner jar not found (build with: mvn -f $here/pom.xml package)" >&2; exit 2; }

state="$(mktemp -d)"
base="http://127.0.0.1:$port"
cc="$base/apis/ccompat/v7"
ct='Content-Type: application/vnd.schemaregistry.v1+json'
pid=""
passed=0
failed=0

cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$state"
}
trap cleanup EXIT

now() { date +%s%N; }

start() {
  local t0; t0=$(now)
  REGISTRY_DATASOURCE_URL="jdbc:h2:file:$state/registry/registry_db" \
    java -Xmx256m -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -jar "$jar" >>"$state/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -sf -o /dev/null "$base/health/ready"; then
      echo "started in $(( ($(now) - t0) / 1000000 )) ms (pid $pid)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server died; log:"; tail -50 "$state/server.log"; exit 1; }
    sleep 0.05
  done
  echo "server not ready after 30 s"; tail -50 "$state/server.log"; exit 1
}

stop() { # $1 = signal
  kill "-$1" "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

check() { # $1 = name, $2 = expected, $3 = actual
  if [[ "$3" == "$2" ]]; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1: expected [$2] got [$3]"; fi
}

v1='{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.sluice\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}"}'
v2_bad='{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.sluice\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":\"string\"}]}"}'
v2_ok='{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.sluice\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}"}'
# id: long -> string cannot read data written with v1/v2: incompatible with the latest version too
v3_bad='{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.sluice\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}"}'
other='{"schema":"{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"dev.sluice\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}"}'

start
echo "RSS after start: $(awk '/VmRSS/{print $2, $3}' /proc/$pid/status)"
check "register v1" '{"id":1}' "$(curl -s -X POST -H "$ct" --data "$v1" "$cc/subjects/orders-value/versions")"
check "get by id" "$(echo "$v1" | sed 's/}$/,"references":[]}/')" "$(curl -s "$cc/schemas/ids/1")"
check "set BACKWARD" '{"compatibility":"BACKWARD"}' \
  "$(curl -s -X PUT -H "$ct" --data '{"compatibility":"BACKWARD"}' "$cc/config/orders-value")"
check "incompatible -> 409" 409 \
  "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$ct" --data "$v2_bad" "$cc/subjects/orders-value/versions")"
check "compatible v2" '{"id":2}' "$(curl -s -X POST -H "$ct" --data "$v2_ok" "$cc/subjects/orders-value/versions")"
check "versions" '[1,2]' "$(curl -s "$cc/subjects/orders-value/versions")"
check "native v2 API" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$base/apis/registry/v2/groups/default/artifacts/orders-value/meta")"
echo "RSS after requests: $(awk '/VmRSS/{print $2, $3}' /proc/$pid/status)"

stop TERM
start
check "subjects after SIGTERM restart" '["orders-value"]' "$(curl -s "$cc/subjects")"
check "id 1 after SIGTERM restart" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$cc/schemas/ids/1")"
check "409 after restart" 409 \
  "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$ct" --data "$v3_bad" "$cc/subjects/orders-value/versions")"
check "register other" '{"id":3}' "$(curl -s -X POST -H "$ct" --data "$other" "$cc/subjects/customers-value/versions")"

stop KILL
start
check "id 3 after SIGKILL restart" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$cc/schemas/ids/3")"
check "subjects after SIGKILL restart" '["orders-value","customers-value"]' "$(curl -s "$cc/subjects")"
stop TERM

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
