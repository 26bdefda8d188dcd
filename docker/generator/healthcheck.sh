#!/bin/sh
# Exits 0 when the generator renewed its heartbeat file (SLUICE_GEN_HEARTBEAT_FILE) in the last minute, which it
# does only while both the shop changes and the user events move: a stuck generator is unhealthy, not just a
# dead one.
set -u
file=${SLUICE_GEN_HEARTBEAT_FILE:-/var/lib/sluice/generator.alive}
[ -n "$(find "$file" -mmin -1 2>/dev/null)" ]
