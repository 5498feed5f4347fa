import { TemperClientError } from '../sdk/errors.ts';

/**
 * The CLI's exit codes: stable, documented in clients/README.md, asserted by the e2e tests. A CI
 * step can tell "the model is not robust enough" (9) from "the server was down" (3).
 */
export const ExitCode = {
  OK: 0,
  /** An unexpected error (a bug, or a server error the CLI cannot classify). */
  ERROR: 1,
  /** Bad command line: unknown command or option, missing or malformed value, unreadable file. */
  USAGE: 2,
  /** The server cannot be reached (connection refused, DNS, bad URL). */
  UNREACHABLE: 3,
  /** No API token, or the server refused it. */
  AUTH: 4,
  /** No object with that id (or it belongs to another owner). */
  NOT_FOUND: 5,
  /** The server refused the request: invalid arguments or a domain error (its code is printed). */
  REJECTED: 6,
  /** The job failed (its error code and message are printed). */
  JOB_FAILED: 7,
  /** The job was cancelled. */
  JOB_CANCELLED: 8,
  /** `temper gate`: a threshold does not hold. */
  GATE_FAILED: 9,
  /** `report`/`gate` on a job that is still queued or running (add --wait). */
  NOT_FINISHED: 10,
  /** Ctrl-C (or SIGTERM): detached from a job that keeps running on the server. */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: printed as one `temper: ...` line, then the process exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
  }
}

const BY_KIND: Record<TemperClientError['kind'], ExitCodeValue> = {
  unreachable: ExitCode.UNREACHABLE,
  unauthenticated: ExitCode.AUTH,
  'not-found': ExitCode.NOT_FOUND,
  rejected: ExitCode.REJECTED,
  server: ExitCode.ERROR,
};

/** API input fields whose CLI option has another name; the rest are their kebab-case. */
const OPTION_OF_INPUT: Readonly<Record<string, string>> = {
  student: '--model',
  'evaluation.eps': '--eval-eps',
  'evaluation.attacks': '--eval-attacks',
  'evaluation.sampleSize': '--eval-sample-size',
  modelJson: 'the model directory',
};

/**
 * The server words its hints for API callers ("pass input.teacher"); a CLI user needs the option
 * ("pass --teacher").
 */
export function cliShapedHints(message: string): string {
  return message.replace(/\binput\.([A-Za-z]+(?:\.[A-Za-z]+)*)/g, (_, path: string) => OPTION_OF_INPUT[path] ?? `--${path.split('.').at(-1)!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

/** The exit code and the one-line message for anything a command threw. */
export function describeFailure(e: unknown): { exitCode: ExitCodeValue; message: string } {
  if (e instanceof CliError) return { exitCode: e.exitCode, message: e.message };
  if (e instanceof TemperClientError) {
    const exitCode = BY_KIND[e.kind];
    const prefix = e.kind === 'rejected' || e.kind === 'server' ? `${e.code}: ` : '';
    const hint = e.kind === 'unauthenticated' ? ' (check --token / TEMPER_TOKEN)' : e.kind === 'unreachable' ? ' (check --url / TEMPER_URL)' : '';
    return { exitCode, message: `${prefix}${e.kind === 'rejected' ? cliShapedHints(e.message) : e.message}${hint}` };
  }
  return { exitCode: ExitCode.ERROR, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
