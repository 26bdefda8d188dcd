#!/bin/sh
# Starts the data generator. It reads its settings from the environment and stops cleanly on SIGTERM (exec: the
# JVM is PID 1 and gets the signal itself).
set -eu

# JAVA_OPTS holds several JVM flags: it is split on spaces on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError} \
    -Dlogback.configurationFile=/app/conf/logback.xml \
    -cp '/app/sluice/*:/app/lib/*' dev.sluice.devstack.generator.GeneratorMain "$@"
