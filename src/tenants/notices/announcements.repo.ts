import type { Queryable } from '../../infra/db/migrate.js';

export type AnnouncementLevel = 'info' | 'warning' | 'maintenance';
export type Audience =
  | { kind: 'all' }
  | { kind: 'plan'; planId: string }
  | { kind: 'tenants'; tenantIds: string[] };

export interface Announcement {
  id: string;
  level: AnnouncementLevel;
  /** Markdown. */
  body: string;
  audience: Audience;
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS =
  'id, level, body, audience, plan_id, tenant_ids, starts_at, ends_at, ended_at, created_by, created_at';

// biome-ignore lint/suspicious/noExplicitAny: pg rows are untyped.
function toAnnouncement(r: any): Announcement {
  const audience: Audience =
    r.audience === 'plan'
      ? { kind: 'plan', planId: r.plan_id }
      : r.audience === 'tenants'
        ? { kind: 'tenants', tenantIds: r.tenant_ids }
        : { kind: 'all' };
  return {
    id: r.id,
    level: r.level,
    body: r.body,
    audience,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** Stores a new announcement (server/owner: announcements are platform-wide). */
export async function insertAnnouncement(
  q: Queryable,
  a: Pick<Announcement, 'level' | 'body' | 'audience' | 'startsAt' | 'endsAt' | 'createdBy'>,
): Promise<Announcement> {
  const { rows } = await q.query(
    `INSERT INTO lore.announcements (level, body, audience, plan_id, tenant_ids, starts_at, ends_at, created_by)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      a.level,
      a.body,
      a.audience.kind,
      a.audience.kind === 'plan' ? a.audience.planId : null,
      a.audience.kind === 'tenants' ? a.audience.tenantIds : [],
      a.startsAt,
      a.endsAt,
      a.createdBy,
    ],
  );
  return toAnnouncement(rows[0]);
}

/** Announcements for the operator, newest first; `liveOnly` leaves out ended and past ones. */
export async function listAnnouncements(
  q: Queryable,
  opts: { liveOnly?: boolean; limit?: number } = {},
): Promise<Announcement[]> {
  const { rows } = await q.query(
    `SELECT ${COLUMNS} FROM lore.announcements
     WHERE NOT $1 OR (ended_at IS NULL AND ends_at > now())
     ORDER BY created_at DESC LIMIT $2`,
    [opts.liveOnly ?? false, opts.limit ?? 100],
  );
  return rows.map(toAnnouncement);
}

/** Ends an announcement now; null when there is no such announcement or it had ended already. */
export async function endAnnouncement(q: Queryable, id: string): Promise<Announcement | null> {
  const { rows } = await q.query(
    `UPDATE lore.announcements SET ended_at = now()
     WHERE id = $1 AND ended_at IS NULL AND ends_at > now() RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ? toAnnouncement(rows[0]) : null;
}

/**
 * The announcements showing now for the current tenant, newest first (inside withTenant: RLS keeps to the
 * ones addressed to it). `now` is the caller's clock.
 */
export async function liveAnnouncementsForTenant(q: Queryable, now: Date): Promise<Announcement[]> {
  const { rows } = await q.query(
    `SELECT ${COLUMNS} FROM lore.announcements
     WHERE ended_at IS NULL AND starts_at <= $1 AND ends_at > $1 ORDER BY starts_at DESC LIMIT 10`,
    [now],
  );
  return rows.map(toAnnouncement);
}

/** One announcement by id (server/owner), or null. */
export async function findAnnouncement(q: Queryable, id: string): Promise<Announcement | null> {
  const { rows } = await q.query(`SELECT ${COLUMNS} FROM lore.announcements WHERE id = $1`, [id]);
  return rows[0] ? toAnnouncement(rows[0]) : null;
}
