import { expect, test } from 'vitest';
import { runCli } from './main.ts';
import { ExitCode } from './exit-codes.ts';

/** Command-line handling in-process (no server): help, usage errors, a missing token. */
async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    stdin: process.stdin,
    env,
    signals: { on: () => process, off: () => process } as never,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

test('--help lists the commands and the exit codes; exit 0', async () => {
  const r = await run(['--help']);
  expect(r.code).toBe(0);
  for (const c of ['upload', 'zoo', 'harden', 'eval', 'jobs', 'download', 'report', 'gate']) expect(r.stdout).toContain(c);
  expect(r.stdout).toContain('9  gate: a threshold failed');
});

test('usage errors exit 2: unknown command, missing required option, bad values', async () => {
  expect((await run(['frobnicate'])).code).toBe(ExitCode.USAGE);
  const missing = await run(['harden', '--model', 'x'], { TEMPER_TOKEN: 't' });
  expect(missing.code).toBe(ExitCode.USAGE);
  expect(missing.stderr).toContain("required option '--method <method>' not specified");
  const gate = await run(['gate', 'x'], { TEMPER_TOKEN: 't' });
  expect(gate).toMatchObject({ code: ExitCode.USAGE, stderr: 'temper: gate needs a threshold: --min-robust and/or --min-clean\n' });
  expect((await run(['gate', 'x', '--min-robust', '1.5'], { TEMPER_TOKEN: 't' })).code).toBe(ExitCode.USAGE);
  expect((await run(['harden', '--model', 'x', '--method', 'magic', '--eps', '0.3', '--epochs', '1'], { TEMPER_TOKEN: 't' })).stderr).toContain('--method must be one of');
});

test('no token: exit 4 with the way to give one', async () => {
  const r = await run(['whoami']);
  expect(r).toMatchObject({ code: ExitCode.AUTH, stderr: 'temper: No API token: pass --token <token> or set TEMPER_TOKEN.\n' });
});
