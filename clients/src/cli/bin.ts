#!/usr/bin/env node
import { runCli } from './main.ts';

/** The `temper` executable (bundled to dist/temper.mjs). */
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signals: process });
// Let stdout drain into a pipe before the process goes.
process.stdout.write('', () => process.exit(code));
