import { z } from 'zod';

/** Settings, the tenant's own OpenAI key, API keys and the danger zone. */

const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,30}$/, 'must be a Slack channel id such as C0123ABCD');

export const updateSettingsBody = z
  .object({
    channelMode: z.enum(['all', 'selected']),
    allowedChannelIds: z.array(channelId).max(500),
    answerStyle: z.enum(['concise', 'detailed']),
    instructions: z.string().max(2000),
    /** Questions one person may ask per minute; null: the plan's limit. */
    userRatePerMinute: z.number().int().min(1).max(1000).nullable(),
    /** Who may save a Slack thread to Lore (the "Save to Lore" message shortcut). */
    threadSavePolicy: z.enum(['everyone', 'admins']),
    /** Days questions and answers are kept; null keeps them. */
    retentionDays: z
      .union([z.literal(30), z.literal(90), z.literal(365)], {
        message: 'Keep them, or choose 30, 90 or 365 days',
      })
      .nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one setting to change');
export type UpdateSettingsBody = z.infer<typeof updateSettingsBody>;

export const openAiKeyBody = z.object({
  key: z
    .string()
    .trim()
    .min(20, 'That does not look like an OpenAI API key')
    .max(300)
    .regex(/^sk-[A-Za-z0-9_-]+$/, 'An OpenAI API key starts with "sk-"'),
});

export interface SettingsDto {
  channelMode: 'all' | 'selected';
  allowedChannelIds: string[];
  answerStyle: 'concise' | 'detailed';
  instructions: string;
  userRatePerMinute: number | null;
  /** The plan's per-user limit, shown when no override is set. */
  planUserRatePerMinute: number;
  /** Who may save a Slack thread to Lore: every member (default) or only admins and owners. */
  threadSavePolicy: 'everyone' | 'admins';
  /** Days questions and answers are kept before the daily job deletes them; null: kept. */
  retentionDays: 30 | 90 | 365 | null;
  /** Never the key: only whether one is set and its last four characters. */
  openAiKey: { set: boolean; last4: string | null };
  updatedAt: string;
}

/** What an API key may do: read or change documents, or ask questions (`POST /api/ask`). */
export const API_KEY_SCOPES = ['documents:read', 'documents:write', 'ask'] as const;
export const apiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof apiKeyScope>;

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100),
  scopes: z
    .array(apiKeyScope)
    .min(1, 'Choose at least one scope')
    .max(API_KEY_SCOPES.length)
    .default(['documents:read', 'documents:write']),
  /** Null: the key never expires. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;
export const apiKeyIdParams = z.object({ id: z.uuid() });

/** Rotation: a new key now; the old one keeps working for `graceHours` (0: stops at once), then expires. */
export const rotateApiKeyBody = z.object({
  graceHours: z
    .number()
    .int()
    .min(0, 'The grace period cannot be negative')
    .max(720, 'At most 30 days (720 hours)'),
});

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** When it stops working (an expiry chosen at creation, or the end of a rotation's grace period). */
  expiresAt: string | null;
  revokedAt: string | null;
  /** The key that replaced it in a rotation. */
  replacedBy: string | null;
}

/** Shown once, right after creation or rotation. */
export interface CreatedApiKeyDto {
  key: string;
  apiKey: ApiKeyDto;
}

/** The danger zone: the workspace's name typed out, so a stray click cannot delete everything. */
export const deleteAllDataBody = z.object({
  confirm: z.string().min(1, 'Type the workspace name to confirm').max(500),
});

export interface DeletedDataDto {
  documents: number;
  answers: number;
  gaps: number;
}
