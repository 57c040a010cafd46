import type { SettingsDto } from '@contracts/settings.contract';
import { describe, expect, it } from 'vitest';
import { AddWebSource } from '../../../dashboard/src/components/add-web-source';
import { ThreadSavingSection } from '../../../dashboard/src/pages/settings-thread-saving';
import { render, texts } from './render';

const settings = (threadSavePolicy: SettingsDto['threadSavePolicy']): SettingsDto => ({
  channelMode: 'all',
  allowedChannelIds: [],
  answerStyle: 'concise',
  instructions: '',
  userRatePerMinute: null,
  planUserRatePerMinute: 5,
  threadSavePolicy,
  retentionDays: null,
  openAiKey: { set: false, last4: null },
  updatedAt: new Date(0).toISOString(),
});

describe('web pages and saved threads in the dashboard', () => {
  it('the Documents page offers a labelled URL field, page or sitemap, and an Add button', () => {
    const { body } = render(<AddWebSource onAdded={() => {}} />);
    const input = body.querySelector('input[type="url"]');
    expect(input?.hasAttribute('required')).toBe(true);
    expect(texts(body, 'label span')).toContain('Web page or sitemap URL');
    expect(texts(body, 'option')).toEqual(['One page', 'Every page of a sitemap']);
    expect(texts(body, 'button[type="submit"]')).toEqual(['Add web page']);
  });

  it('settings show who may save threads, with the current choice selected', () => {
    for (const policy of ['everyone', 'admins'] as const) {
      const { body } = render(<ThreadSavingSection s={settings(policy)} onSaved={() => {}} />);
      const checked = body.querySelector('input[name="thread-save"][checked]');
      expect(checked?.getAttribute('value')).toBe(policy);
    }
  });
});
