import type { Config } from '../config.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { CipherBox } from '../infra/crypto/cipher-box.js';
import type { Database } from '../infra/db/database.js';
import type { AddressPolicy } from '../infra/http/address-policy.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import type { TenantServices } from '../tenants/tenant-services.js';

/** What operator commands may use. `where` says whether they run in the CLI process or inside the server. */
export interface CliContext {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue;
  blobs: BlobStore;
  /** Secrets at rest (key rotation). */
  cipher: CipherBox;
  /** Tenant lifecycle and installations (suspend, resume; cache invalidation reaches every process). */
  tenants: TenantServices;
  /** Which addresses web sources may be fetched from (WEB_FETCH_ALLOW_PRIVATE); absent: public only. */
  web?: { policy: AddressPolicy };
  where: 'local' | 'server';
  /** Who runs the command, for the audit log. */
  actor: string;
  /** The operator's working directory: file arguments are relative to it, wherever the command runs. */
  cwd: string;
}

/** Collects what a command prints, so the same command works in the CLI process and over the admin endpoint. */
export interface CliOutput {
  line(text?: string): void;
  error(text: string): void;
  /** Structured result for the calling program (for example document ids to watch). */
  data(value: unknown): void;
  text(): string;
  result(): unknown;
}

/** An output buffer; `echo` also streams lines as they come (local runs show progress live). */
export function createCliOutput(echo?: { out: (s: string) => void; err: (s: string) => void }): CliOutput {
  const lines: string[] = [];
  let data: unknown;
  return {
    data(value) {
      data = value;
    },
    result: () => data,
    line(text = '') {
      lines.push(text);
      echo?.out(`${text}\n`);
    },
    error(text) {
      lines.push(text);
      echo?.err(`${text}\n`);
    },
    text: () => lines.join('\n'),
  };
}
