#!/usr/bin/env bash
# Prepares the machine's native PostgreSQL the way Supabase is shaped, for `npm run test:native` and CI:
#   - pgvector built and installed (../shared/scripts/install-pgvector.sh, when that folder is there);
#   - an owner role that is NOT a superuser (LOGIN, CREATEDB so tests can make a database per file,
#     CREATEROLE as Supabase's `postgres` role has, so migrations can create and grant `lore_app`);
#   - Supabase's API roles `anon`, `authenticated`, `service_role` (NOLOGIN);
#   - a template database whose schema `extensions` holds `vector`, created by the superuser (as Supabase
#     does), owned by the owner role, with search_path "$user", public, extensions.
# Idempotent: safe to run again. Needs root (or the postgres OS user) for the superuser steps.
# Prints the TEST_DATABASE_URL to use on its last line.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
OWNER="${LORE_PG_OWNER:-lore_owner}"
OWNER_PASSWORD="${LORE_PG_OWNER_PASSWORD:-lore_owner}"
BASE_DB="${LORE_PG_BASE_DB:-lore_base}"

install_script="$repo_root/../shared/scripts/install-pgvector.sh"
if [ "${LORE_PGVECTOR_INSTALLED:-}" = "1" ]; then
  : # .ci/run installed it a step before
elif [ -f "$install_script" ]; then
  bash "$install_script"
else
  echo "prepare-native-postgres: $install_script not found; assuming pgvector is installed" >&2
fi

# Superuser SQL through the local socket as the postgres OS user (peer authentication).
as_superuser() {
  if [ "$(id -un)" = "postgres" ]; then
    psql -X -v ON_ERROR_STOP=1 -q "$@"
  elif command -v runuser >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -q "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n -u postgres psql -X -v ON_ERROR_STOP=1 -q "$@"
  else
    echo "prepare-native-postgres: need root, sudo or the postgres user to run psql as the superuser" >&2
    return 1
  fi
}

# Roles are cluster-wide, so they are created only when missing (other databases may share them).
as_superuser -d postgres -v owner="$OWNER" -v pw="$OWNER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER CREATEDB CREATEROLE PASSWORD %L', :'owner', :'pw') \gexec
SELECT format('CREATE ROLE %I NOLOGIN', r) FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
SQL

exists="$(as_superuser -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$BASE_DB'")"
if [ "$exists" != "1" ]; then
  as_superuser -d postgres -c "CREATE DATABASE \"$BASE_DB\" OWNER \"$OWNER\""
fi
as_superuser -d postgres -c "ALTER DATABASE \"$BASE_DB\" OWNER TO \"$OWNER\"" 

as_superuser -d "$BASE_DB" -v owner="$OWNER" -v db="$BASE_DB" <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS extensions;
-- As Supabase grants it: the API roles may use the schema, and the owner (Supabase's `postgres`) may
-- pass that on, which the migrations do for `lore_app`. Not PUBLIC: a role granted nothing sees nothing.
SELECT format('GRANT USAGE ON SCHEMA extensions TO %I WITH GRANT OPTION', :'owner') \gexec
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;
ALTER EXTENSION vector UPDATE;
SELECT format('ALTER DATABASE %I SET search_path = "$user", public, extensions', :'db') \gexec
-- A template the owner can copy without being a superuser (tests copy it once per run, then per file).
SELECT format('ALTER DATABASE %I IS_TEMPLATE true', :'db') \gexec
SQL

# Two more templates the configuration tests copy (same owner, same search_path):
#   <base>_public    pgvector in `public`, as `CREATE EXTENSION vector` by a superuser leaves it on plain Postgres;
#   <base>_vector_07 claims pgvector 0.7.4 in pg_extension (only 0.8.6 is built here, and a real 0.7 needs
#                    its own build; the version check reads that catalog row, which is all this stands in for).
for variant in public vector_07; do
  db="${BASE_DB}_$variant"
  if [ "$(as_superuser -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    as_superuser -d postgres -c "CREATE DATABASE \"$db\" OWNER \"$OWNER\" TEMPLATE template0"
  fi
  as_superuser -d "$db" -v db="$db" -v owner="$OWNER" -v variant="$variant" <<'SQL'
SET client_min_messages = warning;
SELECT 'CREATE EXTENSION IF NOT EXISTS vector' WHERE :'variant' = 'public' \gexec
SELECT 'CREATE SCHEMA IF NOT EXISTS extensions' WHERE :'variant' = 'vector_07' \gexec
SELECT format('GRANT USAGE ON SCHEMA extensions TO %I WITH GRANT OPTION', :'owner') WHERE :'variant' = 'vector_07' \gexec
SELECT 'CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions' WHERE :'variant' = 'vector_07' \gexec
UPDATE pg_extension SET extversion = '0.7.4' WHERE extname = 'vector' AND :'variant' = 'vector_07';
SELECT format('ALTER DATABASE %I SET search_path = "$user", public, extensions', :'db') \gexec
SELECT format('ALTER DATABASE %I IS_TEMPLATE true', :'db') \gexec
SQL
done

echo "prepare-native-postgres: $BASE_DB ready (vector $(as_superuser -d "$BASE_DB" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'vector'") in schema extensions, owner $OWNER)"
echo "TEST_DATABASE_URL=postgresql://$OWNER:$OWNER_PASSWORD@$PGHOST:$PGPORT/$BASE_DB"
