#!/bin/sh
# Starts streams-app. Kafka Streams tells other instances which host:port serves a key of its state stores
# (application.server). Unless the platform gives a stable name (the Kubernetes StatefulSet sets
# KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER to the pod's DNS name), every container advertises its own address,
# so that replicas started with `docker compose up --scale streams-app=N` differ.
set -eu

if [ -z "${KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER:-}" ]; then
    KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER="$(hostname -i | awk '{print $1}'):${SLUICE_HTTP_PORT:-8080}"
    export KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER
fi

# JAVA_OPTS holds several JVM flags: it is split on spaces on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError} \
    -cp '/app/sluice/*:/app/lib/*' dev.sluice.app.Application "$@"
