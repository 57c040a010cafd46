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
  /** Never the key: only whether one is set and its last four characters. */
  openAiKey: { set: boolean; last4: string | null };
  updatedAt: string;
}

export const createApiKeyBody = z.object({ name: z.string().trim().min(1, 'Give the key a name').max(100) });
export const apiKeyIdParams = z.object({ id: z.uuid() });

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Shown once, right after creation. */
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
