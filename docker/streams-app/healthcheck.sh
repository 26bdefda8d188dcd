#!/bin/bash
# Exits 0 when GET <path> (default /health/readiness) on this container's HTTP port answers 200. The JRE image has
# no curl, so the request goes through bash's /dev/tcp.
set -u
path=${1:-/health/readiness}
exec 3<>"/dev/tcp/127.0.0.1/${SLUICE_HTTP_PORT:-8080}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
