import type { Queryable } from './migrate.js';

/** pgvector 0.8.0 brought the iterative HNSW scan lore.hybrid_search relies on. */
const MIN_PGVECTOR = [0, 8] as const;
const APP_ROLE = 'lore_app';

/** A database or role that cannot take Lore's migrations; the message says what to change. */
export class DatabaseRequirementError extends Error {
  override name = 'DatabaseRequirementError';
}

interface Facts {
  role: string;
  database: string;
  superuser: boolean;
  createrole: boolean;
  can_create_schema: boolean;
  installed: string | null;
  available: string | null;
  app_role_exists: boolean;
  app_member: boolean;
  vector_schema: string | null;
  /** lore_app can use pgvector's schema already, or this role can grant it (see 20261202000100). */
  vector_schema_ok: boolean;
}

/** True when `version` ("0.7.4") is older than MIN_PGVECTOR. */
export function isOlderPgvector(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return major < MIN_PGVECTOR[0] || (major === MIN_PGVECTOR[0] && minor < MIN_PGVECTOR[1]);
}

/**
 * Checks, before any migration runs, that this database and the connecting role can take every one:
 * pgvector 0.8+ enabled (or enable-able by this role), the right to create schemas, and a way to become
 * `lore_app`. Throws one DatabaseRequirementError naming the problem and the fix, so a bad setup stops
 * with nothing half-migrated (each migration file is its own transaction, so a late failure would not).
 */
export async function checkMigrationRequirements(q: Queryable): Promise<void> {
  const { rows } = await q.query<Facts>(
    `SELECT current_user AS role, current_database() AS database,
            r.rolsuper AS superuser, r.rolcreaterole AS createrole,
            has_database_privilege(current_database(), 'CREATE') AS can_create_schema,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS app_role_exists,
            CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                 THEN pg_has_role(current_user, $1, 'MEMBER') ELSE false END AS app_member,
            v.nspname AS vector_schema,
            v.nspname IS NULL OR r.rolsuper
              OR has_schema_privilege(current_user, v.nspname, 'USAGE WITH GRANT OPTION')
              OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                      THEN has_schema_privilege($1, v.nspname, 'USAGE') ELSE false END AS vector_schema_ok
       FROM pg_roles r
       LEFT JOIN (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                   WHERE e.extname = 'vector') v ON true
      WHERE r.rolname = current_user`,
    [APP_ROLE],
  );
  const f = rows[0];
  if (!f) throw new DatabaseRequirementError('Cannot read the connecting role from pg_roles');
  const problem = describeProblem(f);
  if (problem) throw new DatabaseRequirementError(problem);
}

function describeProblem(f: Facts): string | undefined {
  const where = `database "${f.database}" (role "${f.role}")`;
  if (f.installed && isOlderPgvector(f.installed)) {
    return `pgvector ${f.installed} is enabled in ${where}, and Lore needs pgvector 0.8.0 or later: install a newer pgvector on the server, then run ALTER EXTENSION vector UPDATE`;
  }
  if (!f.installed) {
    if (!f.available) {
      return `pgvector is not available in ${where}: Lore needs the pgvector extension (0.8.0 or later). On Supabase enable "vector" (Database → Extensions, schema extensions); on your own PostgreSQL install pgvector, then as a superuser run CREATE EXTENSION vector`;
    }
    if (isOlderPgvector(f.available)) {
      return `The server offers pgvector ${f.available} to ${where}, and Lore needs 0.8.0 or later: install a newer pgvector`;
    }
    if (!f.superuser) {
      return `pgvector is not enabled in ${where}, and only a superuser may enable it: as a superuser run CREATE EXTENSION vector (Supabase: CREATE EXTENSION vector WITH SCHEMA extensions), then migrate again`;
    }
  }
  if (!f.superuser && !f.can_create_schema) {
    return `Role "${f.role}" may not create schemas in database "${f.database}", and the migrations create schemas lore and supabase_migrations: connect as the database owner, or run GRANT CREATE ON DATABASE "${f.database}" TO "${f.role}"`;
  }
  if (!f.superuser && !f.createrole && !f.app_member) {
    return f.app_role_exists
      ? `Role "${f.role}" cannot switch to ${APP_ROLE}, the role tenant queries run as: run GRANT ${APP_ROLE} TO "${f.role}" (or give "${f.role}" CREATEROLE)`
      : `Role "${f.role}" may not create ${APP_ROLE}, the role tenant queries run as: give it CREATEROLE, or as an admin run CREATE ROLE ${APP_ROLE} NOLOGIN NOINHERIT; GRANT ${APP_ROLE} TO "${f.role}"`;
  }
  if (!f.vector_schema_ok) {
    return `${APP_ROLE}, the role tenant queries run as, needs USAGE on schema "${f.vector_schema}" (where pgvector is), and role "${f.role}" may not grant it: as the schema's owner run GRANT USAGE ON SCHEMA "${f.vector_schema}" TO ${APP_ROLE} (or grant "${f.role}" USAGE on it WITH GRANT OPTION)`;
  }
  return undefined;
}

/**
 * Loads pgvector's library into this session by using its type once. Until then its settings (hnsw.*)
 * are unknown placeholders, and a non-superuser may not create a function that SETs one: a later run of
 * `db:migrate`, in a session that has not touched a vector yet, would fail on such a migration.
 */
export async function loadPgvector(q: Queryable): Promise<void> {
  const { rows } = await q.query<{ schema: string }>(
    `SELECT quote_ident(n.nspname) AS schema FROM pg_extension e
       JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`,
  );
  if (rows[0]) await q.query(`SELECT '[1]'::${rows[0].schema}.vector`);
}
