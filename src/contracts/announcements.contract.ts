import { z } from 'zod';

const LEVELS = ['info', 'warning', 'maintenance'] as const;

/** `POST /api/platform/announcements` (and `cli announcements create`): what an operator composes. */
export const createAnnouncementBody = z
  .object({
    level: z.enum(LEVELS),
    /** Markdown: **bold**, _italic_, `code`, [links](https://…), lists. */
    text: z.string().trim().min(1, 'Write the announcement').max(2000),
    audience: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('all') }),
      z.object({ kind: z.literal('plan'), planId: z.string().min(1).max(50) }),
      z.object({ kind: z.literal('tenants'), tenantIds: z.array(z.uuid()).min(1).max(500) }),
    ]),
    /** Default: now. */
    startsAt: z.coerce.date().optional(),
    endsAt: z.coerce.date(),
    /** Maintenance only: also DM each addressed workspace's admins (installer and dashboard admins). */
    dmAdmins: z.boolean().default(false),
  })
  .refine((v) => !v.dmAdmins || v.level === 'maintenance', {
    message: 'Only maintenance announcements can DM the admins',
    path: ['dmAdmins'],
  })
  .refine((v) => v.endsAt.getTime() > (v.startsAt ?? new Date()).getTime(), {
    message: 'The end must be after the start',
    path: ['endsAt'],
  })
  .refine((v) => v.endsAt.getTime() > Date.now(), {
    message: 'The end must be in the future',
    path: ['endsAt'],
  });
export type CreateAnnouncementInput = z.infer<typeof createAnnouncementBody>;

export const announcementIdParams = z.object({ id: z.uuid() });

export interface AnnouncementDto {
  id: string;
  level: (typeof LEVELS)[number];
  text: string;
  audience: { kind: 'all' } | { kind: 'plan'; planId: string } | { kind: 'tenants'; tenantIds: string[] };
  startsAt: string;
  endsAt: string;
  endedAt: string | null;
  createdBy: string;
  createdAt: string;
}
