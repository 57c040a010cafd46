import type { ApiKeyDto } from '@contracts/settings.contract';
import { describe, expect, it } from 'vitest';
import { KeyState, ScopePicker } from '../../../dashboard/src/pages/settings-api-key-parts';
import { render, texts } from './render';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const key = (extra: Partial<ApiKeyDto> = {}): ApiKeyDto => ({
  id: 'k1',
  name: 'wiki sync',
  prefix: 'lore_abcdef',
  scopes: ['documents:read'],
  createdBy: 'U1',
  createdAt: '2026-12-01T00:00:00Z',
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  replacedBy: null,
  ...extra,
});

describe('API key state in the settings list', () => {
  it('tells active, expired, rotated-in-grace and revoked keys apart', () => {
    const state = (k: ApiKeyDto) => texts(render(<KeyState k={k} now={NOW} />).body, '.badge')[0];
    expect(state(key())).toBe('Active');
    expect(state(key({ expiresAt: '2026-12-04T11:59:59Z' }))).toBe('Expired');
    expect(state(key({ replacedBy: 'k2', expiresAt: '2026-12-05T12:00:00Z' }))).toMatch(
      /^Rotated: works until /,
    );
    expect(state(key({ revokedAt: '2026-12-02T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z' }))).toBe(
      'Revoked',
    );
  });

  it('offers every scope as a checkbox, ticked as chosen', () => {
    const { body } = render(<ScopePicker value={['ask']} onChange={() => {}} />);
    const boxes = [...body.querySelectorAll('input[type=checkbox]')] as HTMLInputElement[];
    expect(texts(body, 'label')).toEqual([
      'Read documents',
      'Upload and delete documents',
      'Ask questions (POST /api/ask)',
    ]);
    expect(boxes.map((b) => b.hasAttribute('checked'))).toEqual([false, false, true]);
  });
});
