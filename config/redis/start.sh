#!/bin/sh
# Redis cannot read its password from a file, and Docker secrets are files: read REDIS_PASSWORD_FILE
# (or REDIS_PASSWORD), write a private config on the tmpfs, then start through the image's entrypoint.
set -eu
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE")
fi
if [ -z "${REDIS_PASSWORD:-}" ]; then
  echo "redis: REDIS_PASSWORD or REDIS_PASSWORD_FILE must be set" >&2
  exit 1
fi
umask 077
conf=${REDIS_CONFIG_FILE:-/tmp/redis.conf}
{
  printf 'requirepass "%s"\n' "$REDIS_PASSWORD"
  printf 'appendonly yes\n'
} > "$conf"
# As root (development), the image's entrypoint drops to the redis user, which must read the config.
if [ "$(id -u)" = 0 ] && id redis >/dev/null 2>&1; then
  chown redis "$conf"
fi
exec docker-entrypoint.sh redis-server "$conf" "$@"
