import { describe, expect, test } from 'vitest';
import type { JobEvent } from '../sdk/client.ts';
import { bar, createProgressView, describeProgress, describeTerms } from './progress.ts';

const progress = (over: Partial<NonNullable<JobEvent['progress']>> = {}): NonNullable<JobEvent['progress']> => ({
  phase: 'training',
  stage: null,
  fraction: 0.5,
  epoch: 2,
  epochs: 4,
  step: 10,
  totalSteps: 20,
  etaSeconds: 75,
  examplesPerSecond: 812.4,
  learningRate: 0.001,
  terms: { loss: 1.23456, ce: 0.8, rrm: 0.43 },
  heldOutCleanAccuracy: null,
  heldOutPgdAccuracy: null,
  message: null,
  ...over,
});
let seq = 0;
const ev = (kind: JobEvent['kind'], p: JobEvent['progress'] = null, message: string | null = null): JobEvent => ({ sequence: ++seq, kind, status: 'RUNNING', message, createdAt: '', progress: p });

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { write: (s: string) => chunks.push(s), isTTY, columns: 200 } };
}

describe('progress text', () => {
  test('epoch, step, ETA, examples/s and every loss term', () => {
    expect(describeTerms({ ce: 0.8, loss: 1.23456, rrm: 0.43 })).toBe('loss 1.235 (ce 0.8, rrm 0.43)');
    expect(describeProgress(progress())).toBe('epoch 2/4 · step 10/20 · ETA 1m15s · 812 ex/s · loss 1.235 (ce 0.8, rrm 0.43)');
    expect(bar(0.5, 10)).toBe('[#####-----]');
  });
});

describe('without a TTY', () => {
  test('plain lines at most once per interval, plus phase and epoch changes and every status/log line', () => {
    let now = 0;
    const { chunks, stream } = sink(false);
    const view = createProgressView(stream, { tty: false, intervalMs: 10_000, now: () => now });
    view.event(ev('STATUS', null, 'Started'));
    // 200 progress events over 20 s of one epoch: lines at 0 s and 10 s; then the new epoch's.
    for (let i = 0; i < 200; i++) {
      view.event(ev('PROGRESS', progress({ step: i, fraction: i / 400 })));
      now += 100;
    }
    view.event(ev('PROGRESS', progress({ epoch: 3, step: 0 })));
    view.event(ev('PROGRESS', progress({ phase: 'evaluating', epoch: 3 })));
    view.event(ev('CHECKPOINT', null, 'checkpoint after epoch 3'));
    view.event(ev('LOG', null, '[temper] a log line'));
    view.close();
    const out = chunks.join('');
    expect(out).not.toMatch(/[\r\x1b]/);
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('training'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('evaluating'))).toHaveLength(1);
    expect(lines[0]).toBe('[    0s] status RUNNING: Started');
    expect(lines.at(-1)).toBe('[   20s] [temper] a log line');
    expect(lines.some((l) => l.includes('checkpoint: checkpoint after epoch 3'))).toBe(true);
  });
});

describe('on a TTY', () => {
  test('one bar redrawn in place, notes above it, nothing drawn while paused', async () => {
    const { chunks, stream } = sink(true);
    const view = createProgressView(stream, { tty: true, intervalMs: 0 });
    view.event(ev('PROGRESS', progress()));
    view.event(ev('LOG', null, 'hello'));
    view.pause();
    const before = chunks.length;
    view.event(ev('LOG', null, 'held back'));
    expect(chunks.length).toBe(before);
    view.resume();
    view.close();
    const out = chunks.join('');
    expect(out).toContain('\r\x1b[2K');
    expect(out).toContain('training   [############------------]  50%');
    expect(out).toContain('hello\n');
    expect(out.indexOf('held back')).toBeGreaterThan(out.indexOf('hello'));
    expect(out.endsWith('\n')).toBe(true);
  });
});

/** What a terminal shows for the output: "\r\x1b[2K" erases the current line. */
function screen(out: string): string[] {
  const lines: string[] = [''];
  for (const part of out.split(/(\r\x1b\[2K|\n)/)) {
    if (part === '\n') lines.push('');
    else if (part === '\r\x1b[2K') lines[lines.length - 1] = '';
    else lines[lines.length - 1] += part;
  }
  return lines;
}

describe('the last TTY frame', () => {
  const status = (s: JobEvent['status']): JobEvent => ({ sequence: ++seq, kind: 'STATUS', status: s, message: null, createdAt: '', progress: null });

  test('a job that ended leaves its status line last, not a stale bar', () => {
    const { chunks, stream } = sink(true);
    const view = createProgressView(stream, { tty: true, intervalMs: 0 });
    view.event(ev('PROGRESS', progress({ phase: 'evaluating', fraction: 0.97 })));
    view.event(status('SUCCEEDED'));
    view.close();
    const shown = screen(chunks.join(''));
    expect(shown.at(-1)).toBe('');
    expect(shown.filter(Boolean).at(-1)).toBe('status SUCCEEDED');
    expect(shown.join('\n')).not.toContain('97%');
  });

  test('detaching from a running job keeps its last bar as a line', () => {
    const { chunks, stream } = sink(true);
    const view = createProgressView(stream, { tty: true, intervalMs: 0 });
    view.event(ev('PROGRESS', progress({ fraction: 0.25 })));
    view.close();
    expect(screen(chunks.join('')).filter(Boolean)).toEqual([expect.stringMatching(/^training {3}\[######-{18}\] {2}25%/)]);
  });
});
