# Runs under BusyBox sh: MONGODB_URI from the secret file MONGODB_URI_FILE names, when set (staging
# and production); development and testing set MONGODB_URI itself.
set -eu
if [ -n "${MONGODB_URI_FILE:-}" ]; then
  if [ ! -r "$MONGODB_URI_FILE" ]; then
    echo "mongodb-exporter: MONGODB_URI_FILE=$MONGODB_URI_FILE cannot be read" >&2
    exit 1
  fi
  IFS= read -r MONGODB_URI < "$MONGODB_URI_FILE" || true
  export MONGODB_URI
fi
if [ -z "${MONGODB_URI:-}" ]; then
  echo "mongodb-exporter: MONGODB_URI or MONGODB_URI_FILE must be set" >&2
  exit 1
fi
exec /mongodb_exporter "$@"
