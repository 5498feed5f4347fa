import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so
 * that CI tooling that reads runner summaries (and people skimming logs) get an unambiguous count.
 *
 * A file that failed outside its tests (it did not load, or a beforeAll/afterAll hook threw) counts as
 * one failure, and so does each unhandled error: vitest then exits 1, and a line saying "0 failed"
 * beside that exit code would lie. Tests such a file never ran are counted as skipped, as vitest does.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let failedInModule = 0;
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedInModule++;
        else skipped++;
      }
      if (failedInModule === 0 && (mod.state() === 'failed' || mod.errors().length > 0)) failedInModule = 1;
      failed += failedInModule;
    }
    failed += unhandledErrors.length;
    if (reason === 'failed' && failed === 0) failed = 1; // vitest failed the run for a reason not tied to a test
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
