import type { Command } from 'commander';
import { rotateEncryptionKeys } from '../../tenants/installations/key-rotation.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';

/** `keys rotate`: re-encrypts every stored secret with the active key of ENCRYPTION_KEYS (audited). */
export function registerKeysCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const keys = program.command('keys').description('encryption keys for secrets at rest (ENCRYPTION_KEYS)');
  keys
    .command('rotate')
    .description('re-encrypt every Slack token and tenant OpenAI key with the active (first) key')
    .action(async () => {
      const report = await rotateEncryptionKeys({
        db: ctx.db,
        cipher: ctx.cipher,
        installations: ctx.tenants.installations,
        actor: ctx.actor,
      });
      out.line(
        `Re-encrypted ${report.valuesReencrypted} secret${report.valuesReencrypted === 1 ? '' : 's'} with key "${report.activeKeyId}" ` +
          `(${report.installationRows} installation row${report.installationRows === 1 ? '' : 's'}, ` +
          `${report.settingsRows} OpenAI key${report.settingsRows === 1 ? '' : 's'}); ${report.valuesAlreadyCurrent} already used it.`,
      );
      if (report.valuesUndecryptable > 0) {
        out.error(
          `${report.valuesUndecryptable} secret(s) could not be decrypted with any configured key and were left as they are: ` +
            'put the key they were written with back into ENCRYPTION_KEYS and run this again.',
        );
        throw new Error('Some secrets were not rotated.');
      }
      out.line('Older keys can now be removed from ENCRYPTION_KEYS.');
      out.data(report);
    });
}
