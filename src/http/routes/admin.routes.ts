import { createHash, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import { type CliContext, createCliOutput } from '../../cli/cli-context.js';
import { runCli } from '../../cli/run-cli.js';
import { badRequest, forbidden, unauthorized } from '../../errors.js';
import { fromLoopback, requireOwnHost } from '../middleware/local-only.js';

const body = z.object({
  argv: z.array(z.string().max(4096)).max(100),
  actor: z.string().max(100).optional(),
  // Where the operator ran the CLI: relative file arguments are resolved against it.
  cwd: z.string().max(4096).refine(path.isAbsolute, 'must be an absolute path').optional(),
});

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `POST /admin/cli`: runs an operator command inside this server (embedded mode, where the database
 * belongs to this process). Loopback only, under our own host name (DNS rebinding), and the caller must
 * present the token from DATA_DIR/server.json.
 */
export function adminRoutes(token: string, ctx: Omit<CliContext, 'where' | 'actor' | 'cwd'>): Router {
  const router = Router();
  const { publicUrl } = ctx.config;
  const expected = digest(token);
  router.post('/admin/cli', express.json({ limit: '64kb' }), async (req, res) => {
    if (!fromLoopback(req)) throw forbidden('The admin endpoint only answers on loopback');
    requireOwnHost(req, publicUrl);
    const given = req.get('x-admin-token') ?? '';
    // Compare digests so the comparison is constant-time whatever the given token's length.
    if (!timingSafeEqual(digest(given), expected)) throw unauthorized('Invalid admin token');
    const parsed = body.safeParse(req.body);
    if (!parsed.success)
      throw badRequest(
        'Expected {"argv": string[], "actor"?: string, "cwd"?: absolute path}',
        parsed.error.issues,
      );
    const out = createCliOutput();
    const actor = `cli:${parsed.data.actor ?? 'operator'}`;
    req.log?.info({ command: parsed.data.argv.slice(0, 2) }, 'admin command');
    const exitCode = await runCli(
      parsed.data.argv,
      { ...ctx, where: 'server', actor, cwd: parsed.data.cwd ?? process.cwd() },
      out,
    );
    res.json({ exitCode, output: out.text(), data: out.result() ?? null });
  });
  return router;
}
