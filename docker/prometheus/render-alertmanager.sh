#!/bin/sh
# Writes the Alertmanager configuration TEMPLATE to OUT with the webhook URL from ALERTMANAGER_WEBHOOK_URL, or
# without the webhook when it is empty. Runs in the alertmanager image's busybox shell at start, and in CI before
# amtool checks the result.
set -eu
template="$1"
out="$2"
url="${ALERTMANAGER_WEBHOOK_URL:-}"
if [ -n "$url" ]; then
    case "$url" in
        *'"'*) echo "ALERTMANAGER_WEBHOOK_URL must not contain a double quote" >&2; exit 2 ;;
        http://*|https://*) ;;
        *) echo "ALERTMANAGER_WEBHOOK_URL must start with http:// or https://" >&2; exit 2 ;;
    esac
    # Escape what sed's replacement would interpret: the delimiter, & and backslashes.
    escaped=$(printf '%s' "$url" | sed -e 's/[\\|&]/\\&/g')
    sed -e "s|__ALERTMANAGER_WEBHOOK_URL__|$escaped|" "$template" > "$out"
    echo "alertmanager: notifying the webhook in ALERTMANAGER_WEBHOOK_URL"
else
    sed -e '/# webhook-start/,/# webhook-end/d' "$template" > "$out"
    echo "alertmanager: ALERTMANAGER_WEBHOOK_URL is empty, alerts are shown in its UI only"
fi
