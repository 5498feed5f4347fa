import type { JobEvent } from '../sdk/client.ts';
import { duration, num, pct } from './format.ts';

/**
 * How a followed job is shown. On a terminal: one live bar, redrawn in place (epoch, loss terms,
 * examples/s, ETA), with status changes and logs printed above it. Without a TTY (CI logs): plain
 * lines, never a carriage return or escape code; progress at most once per interval, plus a line
 * whenever the phase or the epoch changes, and every status change, checkpoint and log line.
 */

export interface TextStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

type Progress = NonNullable<JobEvent['progress']>;

const TERMINAL: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface ProgressView {
  event(event: JobEvent): void;
  /** A line of its own (printed above the bar on a terminal). */
  note(line: string): void;
  /** Stop drawing (while a prompt owns the terminal). */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface ProgressViewOptions {
  readonly tty: boolean;
  /** Plain mode: least time between two progress lines. */
  readonly intervalMs: number;
  readonly now?: () => number;
}

/** Loss terms as "loss 1.234 (ce 0.8, rrm 0.43)"; `loss` first, the rest in the server's order. */
export function describeTerms(terms: unknown): string {
  if (!terms || typeof terms !== 'object') return '';
  const entries = Object.entries(terms as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
  if (entries.length === 0) return '';
  const loss = entries.find(([k]) => k === 'loss');
  const rest = entries.filter(([k]) => k !== 'loss').map(([k, v]) => `${k} ${num(v)}`);
  if (!loss) return rest.join(', ');
  return rest.length ? `loss ${num(loss[1])} (${rest.join(', ')})` : `loss ${num(loss[1])}`;
}

/** Everything but the bar: "epoch 2/3 · step 12/32 · ETA 42s · 812 ex/s · loss 1.23 (ce 0.8)". */
export function describeProgress(p: Progress, separator = ' · '): string {
  const parts: string[] = [];
  // teacher: AUTO jobs train their teacher first; its epochs are not the student's.
  if (p.stage === 'teacher') parts.push('teacher');
  if (p.epoch !== null && p.epochs !== null) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (p.step !== null) parts.push(p.totalSteps !== null ? `step ${p.step}/${p.totalSteps}` : `step ${p.step}`);
  // Most telling first: a narrow terminal cuts the line from the right.
  if (p.etaSeconds !== null) parts.push(`ETA ${duration(p.etaSeconds)}`);
  if (p.examplesPerSecond !== null) parts.push(`${p.examplesPerSecond >= 100 ? p.examplesPerSecond.toFixed(0) : p.examplesPerSecond.toFixed(1)} ex/s`);
  const terms = describeTerms(p.terms);
  if (terms) parts.push(terms);
  if (p.heldOutCleanAccuracy !== null) parts.push(`held-out clean ${pct(p.heldOutCleanAccuracy, 1)}`);
  if (p.heldOutPgdAccuracy !== null) parts.push(`held-out pgd ${pct(p.heldOutPgdAccuracy, 1)}`);
  if (p.message) parts.push(p.message);
  return parts.join(separator);
}

export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

export function plainProgressLine(p: Progress): string {
  return `${p.phase ?? 'progress'} ${pct(p.fraction, 0)}: ${describeProgress(p, ', ')}`.replace(/: $/, '');
}

export function createProgressView(out: TextStream, options: ProgressViewOptions): ProgressView {
  return options.tty ? new TtyView(out, options.now ?? Date.now) : new PlainView(out, options.intervalMs, options.now ?? Date.now);
}

function eventLine(e: JobEvent): string | null {
  if (e.kind === 'STATUS') return `status ${e.status}${e.message ? `: ${e.message}` : ''}`;
  if (e.kind === 'CHECKPOINT') return `checkpoint${e.message ? `: ${e.message}` : ''}`;
  if (e.kind === 'LOG') return e.message ?? null;
  return null;
}

class PlainView implements ProgressView {
  private readonly start: number;
  private lastAt = -Infinity;
  private lastKey = '';
  constructor(
    private readonly out: TextStream,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {
    this.start = now();
  }

  private line(text: string): void {
    this.out.write(`[${duration((this.now() - this.start) / 1000).padStart(6)}] ${text}\n`);
  }

  event(e: JobEvent): void {
    const text = eventLine(e);
    if (text !== null) return this.line(text);
    if (e.kind !== 'PROGRESS' || !e.progress) return;
    const p = e.progress;
    // A new phase or epoch always gets a line; otherwise at most one line per interval.
    const key = `${p.phase}|${p.epoch}`;
    const t = this.now();
    if (key === this.lastKey && t - this.lastAt < this.intervalMs) return;
    this.lastKey = key;
    this.lastAt = t;
    this.line(plainProgressLine(p));
  }

  note(line: string): void {
    this.line(line);
  }

  pause(): void {}
  resume(): void {}
  close(): void {}
}

class TtyView implements ProgressView {
  private progress: Progress | null = null;
  private status = '';
  private drawn = false;
  private paused = false;
  private readonly held: string[] = [];
  private lastDraw = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly out: TextStream,
    private readonly now: () => number,
  ) {}

  event(e: JobEvent): void {
    this.status = e.status;
    if (e.progress) this.progress = e.progress;
    const text = eventLine(e);
    if (text !== null) this.note(text);
    else this.schedule();
  }

  note(line: string): void {
    // While a prompt owns the terminal, lines wait: they would land in the middle of the question.
    if (this.paused) {
      this.held.push(line);
      return;
    }
    this.clear();
    this.out.write(`${line}\n`);
    this.draw();
  }

  pause(): void {
    this.clear();
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const line of this.held.splice(0)) this.out.write(`${line}\n`);
    this.draw();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.paused) {
      if (TERMINAL.has(this.status)) {
        // The job is over and its status line is printed: a bar left below it would still say
        // "evaluating 97%", so it goes.
        this.clear();
      } else {
        // Detached from a running job: keep where it was as a line of its own.
        this.draw();
        if (this.drawn) this.out.write('\n');
      }
    }
    this.drawn = false;
    this.paused = true;
  }

  /** At most ~10 redraws a second: a fast job must not flood the terminal. */
  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, 100 - (this.now() - this.lastDraw));
    if (wait === 0) return this.draw();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, wait);
  }

  private clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (this.paused) return;
    const p = this.progress;
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const text = p
      ? `${(p.phase ?? this.status.toLowerCase()).padEnd(10)} ${bar(p.fraction, 24)} ${pct(p.fraction, 0).padStart(4)}  ${describeProgress(p)}`
      : `${this.status.toLowerCase() || 'waiting'}...`;
    this.out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.drawn = true;
    this.lastDraw = this.now();
  }
}
