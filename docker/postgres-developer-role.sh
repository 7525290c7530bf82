#!/bin/sh
# Runs once, when the compose PostgreSQL initialises its volume (docker-entrypoint-initdb.d).
# The chapter's postgresql://localhost:5432/bookshelf names no user, so clients connect as the
# developer's own login name ($USER, passed in as DEVELOPER_ROLE): give that name a role of its
# own beside "postgres", so the URI works verbatim. Local development only, like trust auth.
set -eu
role="${DEVELOPER_ROLE:-}"
if [ -n "$role" ] && [ "$role" != "$POSTGRES_USER" ]; then
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN SUPERUSER', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL
fi
