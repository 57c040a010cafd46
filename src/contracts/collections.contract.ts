import { z } from 'zod';

/** Collections, their documents, and which channels answer from which collections (`/api/collections`). */

const name = z
  .string()
  .trim()
  .min(1, 'Give the collection a name')
  .max(80, 'A collection name has at most 80 characters');
const description = z.string().trim().max(500, 'A description has at most 500 characters');

export const createCollectionBody = z.object({ name, description: description.default('') });

export const updateCollectionBody = z
  .object({
    name,
    description,
    /** Only `true`: the default moves to another collection by making that one the default. */
    isDefault: z.literal(true),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');

export const collectionIdParams = z.object({ id: z.uuid() });

export const assignDocumentsBody = z.object({
  documentIds: z
    .array(z.uuid())
    .min(1, 'Choose at least one document')
    .max(500, 'Move at most 500 documents at once'),
});

/** Public (C…) and private (G… or C…) channels; DMs use the workspace default and have no settings. */
export const channelIdParams = z.object({
  channelId: z.string().regex(/^[CG][A-Z0-9]{2,30}$/, 'must be a Slack channel id such as C0123ABCD'),
});

export const saveChannelScopeBody = z.object({
  /** Empty: the channel answers from the workspace default. */
  collectionIds: z.array(z.uuid()).max(20, 'A channel can use at most 20 collections'),
  /** Added to the prompt in this channel (tone, audience); they cannot lift the answering rules. */
  instructions: z.string().trim().max(1000, 'Channel instructions have at most 1,000 characters').default(''),
});

export const slackChannelsQuery = z.object({ refresh: z.enum(['1']).optional() });

export interface CollectionDto {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  documentCount: number;
  channelIds: string[];
  createdAt: string;
}

export interface ChannelScopeDto {
  channelId: string;
  /** From `conversations.list` (cached); null when Slack did not list it (archived, or Lore cannot see it). */
  channelName: string | null;
  collectionIds: string[];
  instructions: string;
  updatedAt: string;
}

export interface CollectionsDto {
  collections: CollectionDto[];
  channels: ChannelScopeDto[];
}

export interface SlackChannelDto {
  id: string;
  name: string;
  isPrivate: boolean;
}

export interface SlackChannelsDto {
  channels: SlackChannelDto[];
  /** False when the workspace has more channels than Lore lists (the picker then also takes an id). */
  complete: boolean;
  /** Why names could not be read (a missing scope, Slack unreachable): shown above the picker. */
  problem: string | null;
  fetchedAt: string | null;
}
