import { z } from 'zod';

/** `GET /api/audit`: the tenant's audit log, newest first, filterable. */
export const auditQuery = z.object({
  /** An action or an action prefix such as "api_key." or "settings". */
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z_.]*$/, 'letters, "_" and "." only')
    .optional(),
  actor: z.string().trim().max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export interface AuditEntryDto {
  id: string;
  createdAt: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}
