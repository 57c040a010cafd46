import { z } from 'zod';
import { defineJob } from '../../infra/queue/job-definition.js';

const payload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  userId: z.string().min(1),
  text: z.string().min(1).max(3_000),
});
export type AdminDm = Omit<z.infer<typeof payload>, 'v'>;

/** Sends one DM from the workspace's bot (provided by the Slack layer, which owns the clients). */
export type SendAdminDm = (msg: AdminDm) => Promise<void>;

/**
 * The `admin-dm` job: one DM to one admin. One job per person, so a failed send is retried for that person
 * alone and nobody gets the same message twice. Its job id is given by whoever queues it (the warning or
 * announcement it belongs to, and the person).
 */
export const adminDmJob = defineJob({
  name: 'admin-dm',
  schema: payload,
  handler: (deps: { sendAdminDm: SendAdminDm }) => async (p) => {
    const { v: _, ...msg } = p;
    await deps.sendAdminDm(msg);
  },
});
