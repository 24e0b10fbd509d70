import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './progress-reporter.js';

function attempt(outcome: 'delivered' | 'retry', refundNo: string) {
  return { type: 'attempt', vendor: 'kingdee', refundNo, versionNo: 1, attempts: 1, outcome } as const;
}

describe('createProgressReporter (plain lines)', () => {
  it('counts refunds and retries in the words it prints: 1 retry, 2 retries', () => {
    const lines: string[] = [];
    const progress = createProgressReporter({ write: (text) => lines.push(text), tty: false });
    progress.onEvent({ type: 'started', vendor: 'kingdee', pending: 2 });
    progress.onEvent(attempt('retry', 'R1'));
    progress.onEvent(attempt('delivered', 'R1'));
    progress.onEvent(attempt('retry', 'R2'));
    progress.onEvent(attempt('delivered', 'R2'));
    progress.onEvent({ type: 'paused', calls: 1 });
    progress.finish();
    expect(lines).toEqual([
      'Kingdee: 2 refunds to deliver\n',
      'Kingdee: 1/2 refunds done, 1 retry\n',
      'Kingdee: 2/2 refunds done, 2 retries\n',
      'paused after 1 vendor call (test hook)\n',
    ]);
  });

  it('says one refund in the singular', () => {
    const lines: string[] = [];
    const progress = createProgressReporter({ write: (text) => lines.push(text), tty: false });
    progress.onEvent({ type: 'started', vendor: 'wangdian', pending: 1 });
    expect(lines).toEqual(['Wangdian: 1 refund to deliver\n']);
  });
});
