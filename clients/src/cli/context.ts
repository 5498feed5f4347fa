import { TemperClient } from '../sdk/client.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { parseNumber } from './format.ts';
import { resolveRef } from './short-id.ts';
import type { TextStream } from './progress.ts';

/** The process the CLI talks through; tests hand in their own. */
export interface CliIO {
  readonly stdout: TextStream;
  readonly stderr: TextStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGINT/SIGTERM handlers go (process in real use). */
  readonly signals: Pick<NodeJS.Process, 'on' | 'off'>;
}

export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly progressInterval?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:4000';

/**
 * Connection and output for one command. stdout carries the result a script captures (an id, a
 * table, JSON); stderr carries progress, notes and errors.
 */
export class CliContext {
  private clientInstance: TemperClient | null = null;
  constructor(
    readonly io: CliIO,
    readonly globals: GlobalOptions,
  ) {}

  get url(): string {
    return this.globals.url ?? this.io.env['TEMPER_URL'] ?? DEFAULT_URL;
  }

  get client(): TemperClient {
    if (this.clientInstance) return this.clientInstance;
    const token = this.globals.token ?? this.io.env['TEMPER_TOKEN'];
    if (!token) throw new CliError(ExitCode.AUTH, 'No API token: pass --token <token> or set TEMPER_TOKEN.');
    this.clientInstance = new TemperClient({ url: this.url, token, retryAttempts: 5 });
    return this.clientInstance;
  }

  /** A full global id for a global id, short id or name among the viewer's objects of `types`. */
  resolve(ref: string, types: readonly string[]): Promise<string> {
    return resolveRef(this.client, ref, types);
  }

  /** Both stdin and stderr are terminals: a person is there to answer a prompt and see a bar. */
  get interactive(): boolean {
    return Boolean(this.io.stdin.isTTY && this.io.stderr.isTTY);
  }

  /** Least time between two plain progress lines (--progress-interval or TEMPER_PROGRESS_INTERVAL, seconds; default 10). */
  get progressIntervalMs(): number {
    const v = this.globals.progressInterval ?? this.io.env['TEMPER_PROGRESS_INTERVAL'];
    if (v === undefined || v === '') return 10_000;
    const s = parseNumber(v, '--progress-interval');
    if (s < 0) throw new CliError(ExitCode.USAGE, '--progress-interval must be >= 0 seconds');
    return s * 1000;
  }

  /** A result line (stdout). */
  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** A note for the person or the CI log (stderr). */
  info(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  dispose(): void {
    this.clientInstance?.dispose();
  }
}
