import express, { Router } from 'express';
import {
  assignDocumentsBody,
  type ChannelScopeDto,
  type CollectionDto,
  type CollectionsDto,
  channelIdParams,
  collectionIdParams,
  createCollectionBody,
  type SlackChannelsDto,
  saveChannelScopeBody,
  slackChannelsQuery,
  updateCollectionBody,
} from '../../../contracts/collections.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { createCollectionsService } from '../../../knowledge/collections/collections.service.js';
import type { ChannelDirectory, ChannelListing } from '../../../slack/channel-directory.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

const NO_DIRECTORY: ChannelListing = {
  channels: [],
  complete: false,
  problem: 'Slack is not configured on this server, so channel names cannot be read.',
  fetchedAt: null,
};

/**
 * `/api/collections` (collections, moving documents between them), `/api/channel-scopes` (which
 * collections and instructions a channel answers with) and `/api/slack-channels` (names for the picker).
 */
export function collectionsRoutes(deps: { db: Database; channels?: ChannelDirectory }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const service = createCollectionsService(deps.db);
  const directory = (tenantId: string, refresh = false) =>
    deps.channels ? deps.channels(tenantId, { refresh }) : Promise.resolve(NO_DIRECTORY);
  const namesOf = async (tenantId: string) =>
    new Map((await directory(tenantId)).channels.map((c) => [c.id, c.name]));

  const everything = async (tenantId: string): Promise<CollectionsDto> => {
    const [{ collections, channels }, names] = await Promise.all([service.list(tenantId), namesOf(tenantId)]);
    return {
      collections: wire(collections) satisfies CollectionDto[],
      channels: channels.map((s) => ({
        ...wire(s),
        channelName: names.get(s.channelId) ?? null,
      })) satisfies ChannelScopeDto[],
    };
  };

  router.get('/collections', async (req, res) => {
    res.json(await everything(authOf(req).tenantId));
  });

  router.post('/collections', json, async (req, res) => {
    const auth = authOf(req);
    const body = parseInput(createCollectionBody, req.body ?? {});
    res.status(201).json(wire(await service.create(auth.tenantId, auth.actor, body)) satisfies CollectionDto);
  });

  router.patch('/collections/:id', json, async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(collectionIdParams, req.params, 'Collection');
    const body = parseInput(updateCollectionBody, req.body ?? {});
    res.json(wire(await service.update(auth.tenantId, auth.actor, id, body)) satisfies CollectionDto);
  });

  router.delete('/collections/:id', async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(collectionIdParams, req.params, 'Collection');
    const names = await namesOf(auth.tenantId);
    await service.remove(auth.tenantId, auth.actor, id, (channelId) => {
      const name = names.get(channelId);
      return name ? `#${name}` : channelId;
    });
    res.status(204).end();
  });

  router.post('/collections/:id/documents', json, async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(collectionIdParams, req.params, 'Collection');
    const { documentIds } = parseInput(assignDocumentsBody, req.body ?? {});
    res.json(
      wire(await service.assignDocuments(auth.tenantId, auth.actor, id, documentIds)) satisfies CollectionDto,
    );
  });

  router.put('/channel-scopes/:channelId', json, async (req, res) => {
    const auth = authOf(req);
    const { channelId } = parseInput(channelIdParams, req.params);
    const body = parseInput(saveChannelScopeBody, req.body ?? {});
    await service.saveChannel(auth.tenantId, auth.actor, { channelId, ...body });
    res.json(await everything(auth.tenantId));
  });

  router.delete('/channel-scopes/:channelId', async (req, res) => {
    const auth = authOf(req);
    const { channelId } = parseIds(channelIdParams, req.params, 'Channel setting');
    await service.removeChannel(auth.tenantId, auth.actor, channelId);
    res.json(await everything(auth.tenantId));
  });

  router.get('/slack-channels', async (req, res) => {
    const { refresh } = parseInput(slackChannelsQuery, req.query);
    res.json((await directory(authOf(req).tenantId, refresh === '1')) satisfies SlackChannelsDto);
  });

  return router;
}
