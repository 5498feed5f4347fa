import { createInterface } from 'node:readline';
import type { JobStatus } from '../sdk/gql/graphql.ts';
import { TemperClientError } from '../sdk/errors.ts';
import type { CliContext } from './context.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { createProgressView } from './progress.ts';

/** What Ctrl-C (SIGINT) or SIGTERM does while a job is followed. */
export type InterruptAction = 'ask' | 'cancel' | 'detach';

export interface FollowUiOptions {
  /** Default: ask on a terminal, detach otherwise (a CI runner's SIGTERM leaves the job running). */
  readonly onInterrupt?: InterruptAction;
  readonly afterSequence?: number;
}

/**
 * Follows a job with a live progress view until it finishes. Ctrl-C asks whether to cancel the
 * job, detach from it (it keeps running) or keep watching; a second Ctrl-C detaches at once.
 * Resolves with the final status; detaching throws the INTERRUPTED exit.
 */
export async function followJobUi(ctx: CliContext, jobId: string, options: FollowUiOptions = {}): Promise<JobStatus> {
  const view = createProgressView(ctx.io.stderr, { tty: Boolean(ctx.io.stderr.isTTY), intervalMs: ctx.progressIntervalMs });
  const abort = new AbortController();
  let detached = false;
  let prompting = false;
  let cancelling = false;

  const detach = () => {
    detached = true;
    abort.abort();
  };
  const cancel = async () => {
    if (cancelling) return;
    cancelling = true;
    view.note(`cancelling job ${jobId}...`);
    try {
      await ctx.client.cancelJob(jobId);
    } catch (e) {
      // JOB_FINISHED: it ended on its own meanwhile; the stream reports how.
      if (!(e instanceof TemperClientError && e.kind === 'rejected')) throw e;
    }
  };
  const act = async (action: InterruptAction) => {
    if (action === 'detach') return detach();
    if (action === 'cancel') return cancel();
    prompting = true;
    view.pause();
    const answer = await ask(ctx, `\nJob ${jobId} is still running. [c]ancel it, [d]etach (it keeps running), or [w]atch on? `);
    prompting = false;
    if (answer === null || /^d/i.test(answer)) return detach();
    view.resume();
    if (/^c/i.test(answer)) await cancel();
  };
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (detached) return;
    if (prompting || cancelling) return detach();
    const action = options.onInterrupt ?? (signal === 'SIGINT' && ctx.interactive ? 'ask' : 'detach');
    act(action).catch((e) => {
      view.note(`temper: ${e instanceof Error ? e.message : String(e)}`);
      detach();
    });
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  ctx.io.signals.on('SIGINT', onSigint);
  ctx.io.signals.on('SIGTERM', onSigterm);
  try {
    const result = await ctx.client.followJob(jobId, {
      afterSequence: options.afterSequence,
      signal: abort.signal,
      onEvent: (e) => view.event(e),
      onReconnect: (seq) => view.note(`connection lost; reconnecting (resuming after event ${seq})...`),
    });
    view.close();
    if (detached) {
      throw new CliError(ExitCode.INTERRUPTED, `detached from job ${jobId} (${result.status.toLowerCase()} on the server); follow it again with: temper jobs watch ${jobId}`);
    }
    return result.status;
  } finally {
    view.close();
    ctx.io.signals.off('SIGINT', onSigint);
    ctx.io.signals.off('SIGTERM', onSigterm);
  }
}

/** One line from the terminal; null when the person presses Ctrl-C again or input ends. */
function ask(ctx: CliContext, question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream, terminal: true });
    let settled = false;
    const finish = (v: string | null) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(v);
    };
    rl.on('SIGINT', () => finish(null));
    rl.on('close', () => finish(null));
    rl.question(question, (answer) => finish(answer.trim()));
  });
}
