import type { CipherBox } from '../infra/crypto/cipher-box.js';
import type { Database } from '../infra/db/database.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import { createInstallationCache, type InstallationCache } from './installations/installation-cache.js';
import {
  createInstallationHealth,
  type InstallationHealth,
} from './installations/installation-health.service.js';
import {
  createInstallationService,
  type InstallationService,
} from './installations/installations.service.js';
import type { ProvisioningHooks } from './installations/provisioning.service.js';
import { createTenantLifecycle, type TenantLifecycle } from './lifecycle/lifecycle.service.js';

/** The tenant feature's services, built once by the composition root and shared by web, worker and CLI. */
export interface TenantServices {
  cipher: CipherBox;
  cache: InstallationCache;
  installations: InstallationService;
  lifecycle: TenantLifecycle;
  /** Installations Slack refused the token of (marked by the Slack clients, cleared by a reinstall). */
  health: InstallationHealth;
  /** Starts listening for cache invalidations from other processes. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the installation cache, installation service and lifecycle over the given adapters. */
export function createTenantServices(deps: {
  db: Database;
  kv: KeyValueStore;
  queue: JobQueue;
  logger: Logger;
  cipher: CipherBox;
  hooks?: ProvisioningHooks;
}): TenantServices {
  const cache = createInstallationCache({ kv: deps.kv, logger: deps.logger });
  const installations = createInstallationService({ ...deps, cache });
  const lifecycle = createTenantLifecycle({ db: deps.db, installations, logger: deps.logger });
  return {
    cipher: deps.cipher,
    cache,
    installations,
    lifecycle,
    health: createInstallationHealth({ db: deps.db, logger: deps.logger }),
    // Without pub/sub (Redis down at boot) other processes' changes reach this one within the LRU's TTL.
    start: () =>
      cache
        .start()
        .catch((err: unknown) => deps.logger.error({ err }, 'installation cache invalidations unavailable')),
    stop: () => cache.stop(),
  };
}
