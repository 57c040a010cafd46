import { describe, expect, it } from 'vitest';
import { DocStatus, inProgress } from '../../../dashboard/src/components/doc-status';
import { render, texts } from './render';

const doc = (status: 'queued' | 'parsing' | 'embedding' | 'ready' | 'failed', extra = {}) => ({
  status,
  progressDone: 0,
  progressTotal: 0,
  errorReason: null,
  ...extra,
});

describe('DocStatus', () => {
  it('shows embedding progress as "Embedding 3/10"', () => {
    const { body } = render(<DocStatus doc={doc('embedding', { progressDone: 3, progressTotal: 10 })} />);
    expect(texts(body, '.badge-info')).toEqual(['Embedding 3/10']);
  });

  it('shows a failed document with the reason it failed, as text', () => {
    const reason = 'The PDF has no text layer <img src=x onerror=alert(1)>';
    const { body } = render(<DocStatus doc={doc('failed', { errorReason: reason })} />);
    expect(texts(body, '.badge-error')).toEqual(['Failed']);
    expect(texts(body, '.reason')).toEqual([reason]);
    expect(body.querySelector('img')).toBeNull();
  });

  it('shows a failed document without a reason as just "Failed"', () => {
    const { body } = render(<DocStatus doc={doc('failed')} />);
    expect(body.textContent).toBe('Failed');
  });

  it('names the other stages: Queued, Parsing, Ready', () => {
    expect(render(<DocStatus doc={doc('queued')} />).body.textContent).toBe('Queued');
    expect(render(<DocStatus doc={doc('parsing')} />).body.textContent).toBe('Parsing');
    expect(texts(render(<DocStatus doc={doc('ready')} />).body, '.badge-ok')).toEqual(['Ready']);
  });

  it('counts only ready and failed documents as done (the list stops polling then)', () => {
    const stages = ['queued', 'parsing', 'embedding', 'ready', 'failed'] as const;
    expect(stages.filter(inProgress)).toEqual(['queued', 'parsing', 'embedding']);
  });
});
