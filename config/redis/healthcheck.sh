#!/bin/sh
# Container healthcheck: an authenticated PING (REDISCLI_AUTH keeps the password off the command line).
set -eu
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE")
fi
REDISCLI_AUTH="${REDIS_PASSWORD:-}" redis-cli -p "${REDIS_PORT:-6379}" ping | grep -q PONG
