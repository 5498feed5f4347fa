import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runEdgeCheck, type EdgeReport } from '@temper/edge/device';
import { uploadTinyDataset, uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';

/**
 * Issue 14, point 5: createEdgeCheck takes thresholds and a report below them is FAILED with its reasons,
 * apart from integrity (FLAGGED). One real device run (wasm, over HTTP) gives a genuine report; the same
 * report is then submitted to checks with other thresholds, and a doctored copy to test the flags.
 */

let s: Awaited<ReturnType<typeof startTestServer>>;
let http: Server;
let url: string;
let real: EdgeReport;
const ids = { student: '', surrogate: '', dataset: '' };

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateEdgeCheckInput!) {
    createEdgeCheck(input: $input) {
      __typename
      ... on DomainError { code message }
      ... on MutationCreateEdgeCheckSuccess { data { id status settings thresholds { minCleanAccuracy minRobustAccuracy minAgreement } verdict { status } } }
    }
  }`;

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: SubmitEdgeReportInput!) {
    submitEdgeReport(input: $input) {
      __typename
      ... on DomainError { code }
      ... on MutationSubmitEdgeReportSuccess {
        data {
          status
          verdict { status integrity robustness flagCodes summary reasons { code measure threshold actual message } }
          reports { verdict { status } }
        }
      }
    }
  }`;

const create = async (extra: Record<string, unknown>) => {
  const r = await gql(s.yoga, s.token, CREATE, { input: { model: ids.student, dataset: ids.dataset, surrogates: [ids.surrogate], sampleSize: 30, attackCount: 8, squareQueries: 15, pgdSteps: 3, eps: 0.2, seed: 1, ...extra } });
  return r;
};
const submit = async (checkId: string, report: unknown) => {
  const r = await gql(s.yoga, s.token, SUBMIT, { input: { checkId, report } });
  expect(r.data?.submitEdgeReport?.__typename, JSON.stringify(r)).toBe('MutationSubmitEdgeReportSuccess');
  return r.data!.submitEdgeReport.data;
};

beforeAll(async () => {
  // One worker: the sample of a check is built by an EDGE_SAMPLE job.
  s = await startTestServer({ workers: 1 });
  ids.student = await uploadTinyModel(s.yoga, s.token, 'student', 1);
  ids.surrogate = await uploadTinyModel(s.yoga, s.token, 'surrogate', 2);
  ids.dataset = await uploadTinyDataset(s.yoga, s.token, 200);
  http = createServer(s.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const first = (await create({})).data!.createEdgeCheck.data.id as string;
  real = (await runEdgeCheck({ url, token: s.token, checkId: first, backend: 'wasm' })).report;
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await s?.dispose();
});

describe('edge check thresholds and verdicts', () => {
  test('thresholds are stored; a real report meeting them PASSES, the same report under a stricter robust minimum FAILS with the reason', async () => {
    const robust = Math.min(real.square.robustAccuracy, real.transfer.robustAccuracy);
    const agreementOk = (real.agreement?.rate ?? 0) >= 0.995;
    const lenient = await create({ minCleanAccuracy: 0, minRobustAccuracy: robust, minAgreement: 0 });
    const check = lenient.data!.createEdgeCheck.data;
    expect(check.thresholds).toEqual({ minCleanAccuracy: 0, minRobustAccuracy: robust, minAgreement: 0 });
    expect(check.settings.thresholds).toEqual({ minCleanAccuracy: 0, minRobustAccuracy: robust, minAgreement: 0 });
    expect(check.verdict).toBeNull();
    const passed = await submit(check.id, { ...real, checkId: check.id });
    expect(passed.verdict).toMatchObject({ status: agreementOk ? 'PASSED' : 'FLAGGED', robustness: 'PASSED', reasons: [] });
    expect(passed.status).toBe(passed.verdict.status);

    const strict = (await create({ minRobustAccuracy: robust + 0.01 })).data!.createEdgeCheck.data;
    const failed = await submit(strict.id, { ...real, checkId: strict.id });
    expect(failed.verdict.robustness).toBe('FAILED');
    expect(failed.verdict.reasons).toEqual([expect.objectContaining({ code: 'EDGE_ROBUST_BELOW_THRESHOLD', measure: 'robustAccuracy', actual: robust })]);
    expect(failed.status).toBe(agreementOk ? 'FAILED' : 'FLAGGED');
    expect(failed.reports.at(-1).verdict.status).toBe(failed.status);
  });

  test('a report with 0% robust accuracy is not PASSED once a robust minimum is set; integrity flags stay FLAGGED', async () => {
    const zero = { ...real, square: { ...real.square, robustAccuracy: 0 }, agreement: real.agreement ? { ...real.agreement, rate: 1, agree: real.agreement.count, disagreements: [] } : null };
    const none = (await create({})).data!.createEdgeCheck.data;
    expect((await submit(none.id, zero)).verdict).toMatchObject({ status: 'PASSED', robustness: 'NOT_CHECKED' });
    const gated = (await create({ minRobustAccuracy: 0.1 })).data!.createEdgeCheck.data;
    const failed = await submit(gated.id, zero);
    expect(failed).toMatchObject({ status: 'FAILED', verdict: { integrity: 'OK', robustness: 'FAILED' } });
    expect(failed.verdict.summary).toMatch(/^FAILED: Robust accuracy at eps 0.2/);
    const doctored = { ...zero, model: { ...zero.model, sha256: 'b'.repeat(64) } };
    const flagged = await submit(gated.id, doctored);
    expect(flagged).toMatchObject({ status: 'FLAGGED', verdict: { integrity: 'FLAGGED', robustness: 'FAILED', flagCodes: ['EDGE_MODEL_HASH_MISMATCH'] } });
  });

  test('thresholds outside [0,1] are refused', async () => {
    const bad = await create({ minCleanAccuracy: 1.5 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
