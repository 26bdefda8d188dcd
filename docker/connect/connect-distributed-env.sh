#!/usr/bin/env bash
# Starts a distributed Kafka Connect worker configured from the environment: every CONNECT_<NAME> variable becomes
# the worker property <name>, lower-cased, with '_' read as '.', '__' as '_' and '___' as '-'
# (CONNECT_BOOTSTRAP_SERVERS -> bootstrap.servers, CONNECT_CONFIG_PROVIDERS_ENV_CLASS -> config.providers.env.class).
set -euo pipefail

: "${CONNECT_PLUGIN_PATH:=/opt/kafka/plugins}"
# Other workers forward requests to this address: the container's own, unless told otherwise.
: "${CONNECT_REST_ADVERTISED_HOST_NAME:=$(hostname -i | awk '{print $1}')}"
export CONNECT_PLUGIN_PATH CONNECT_REST_ADVERTISED_HOST_NAME

for required in CONNECT_BOOTSTRAP_SERVERS CONNECT_GROUP_ID CONNECT_CONFIG_STORAGE_TOPIC \
        CONNECT_OFFSET_STORAGE_TOPIC CONNECT_STATUS_STORAGE_TOPIC CONNECT_KEY_CONVERTER CONNECT_VALUE_CONVERTER; do
    if [[ -z "${!required:-}" ]]; then
        echo "connect: $required is not set; the worker cannot start without it" >&2
        exit 2
    fi
done

properties="$(mktemp -d)/worker.properties"
while IFS= read -r name; do
    key=${name#CONNECT_}
    key=${key,,}
    key=${key//___/-}
    key=${key//__/$'\x01'}
    key=${key//_/.}
    key=${key//$'\x01'/_}
    value=${!name}
    # A properties file reads '\' as an escape.
    printf '%s=%s\n' "$key" "${value//\\/\\\\}" >> "$properties"
done < <(compgen -e | grep '^CONNECT_' | sort)

# Names only: values may hold credentials.
echo "connect: worker properties from the environment: $(cut -d= -f1 "$properties" | paste -sd, -)"
exec /opt/kafka/bin/connect-distributed.sh "$properties"
