import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { EdgeCheckRecord, EdgeFlagRecord, EdgeReportRecord } from '@temper/contracts';
import { edgeVerdict } from '@temper/edge/device';
import { EdgeThresholds, EdgeVerdict } from './edge-verdict.ts';
import { Dataset } from './dataset.ts';
import { Model } from './model.ts';

export const EdgeCheckStatus = builder.enumType('EdgeCheckStatus', {
  description:
    "PENDING until a device reports; then the latest report's verdict: FLAGGED when it raised integrity flags (the device may not compute the served model), FAILED when it is below the check's thresholds, PASSED when neither.",
  values: ['PENDING', 'PASSED', 'FLAGGED', 'FAILED'] as const,
});

export const EdgeCheckFlag = builder.objectRef<EdgeFlagRecord>('EdgeCheckFlag').implement({
  description: 'A warning the server raised on a device report (recomputed here, never trusted from the device).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    details: t.field({ type: 'JSON', resolve: (f) => f.details ?? {} }),
  }),
});

type Agreement = { rate: number; count: number; agree: number; ok: boolean; threshold?: number };
export const EdgeAgreement = builder.objectRef<Agreement>('EdgeAgreement').implement({
  description: "How often the device's clean predictions matched the server's on the sample.",
  fields: (t) => ({
    rate: t.exposeFloat('rate'),
    count: t.exposeInt('count'),
    agree: t.exposeInt('agree'),
    ok: t.exposeBoolean('ok'),
  }),
});

const section = (r: EdgeReportRecord, key: string) => (r.report[key] ?? {}) as Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const EdgeReport = builder.objectRef<EdgeReportRecord>('EdgeReport').implement({
  description: 'What one device measured on an edge check (@temper/edge: device/report.ts), with the server\'s flags.',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeGlobalID('EdgeReport', r.id) }),
    backend: t.exposeString('backend', { description: 'webgpu, webgl, wasm or cpu.' }),
    device: t.field({ type: 'JSON', description: 'User agent, GPU adapter, WebGL details as the device described itself.', resolve: (r) => r.report.device ?? {} }),
    agreement: t.field({ type: EdgeAgreement, nullable: true, resolve: (r) => (r.report.agreement ?? null) as Agreement | null }),
    modelSha256: t.string({ resolve: (r) => String(section(r, 'model').sha256 ?? '') }),
    cleanAccuracy: t.float({ nullable: true, resolve: (r) => num(section(r, 'clean').accuracy) }),
    squareRobustAccuracy: t.float({ nullable: true, resolve: (r) => num(section(r, 'square').robustAccuracy) }),
    transferRobustAccuracy: t.float({ nullable: true, resolve: (r) => num(section(r, 'transfer').robustAccuracy) }),
    flags: t.field({ type: [EdgeCheckFlag], resolve: (r) => [...r.flags] }),
    verdict: t.field({
      type: EdgeVerdict,
      description: "This report judged against its check's thresholds (integrity and robustness apart).",
      resolve: async (r, _a, ctx) => {
        const [check] = await ctx.services.edgeChecksByIds(r.ownerId, [r.checkId]);
        return edgeVerdict(r.report, r.flags, check?.settings.thresholds, check?.settings.eps);
      },
    }),
    report: t.field({ type: 'JSON', description: 'The full EdgeReport as submitted.', resolve: (r) => r.report }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
  }),
});

export const EdgeCheck = builder.loadableNode('EdgeCheck', {
  description: 'An edge check (issue #7): a bundle (student, surrogates, sample) a browser or device runs on itself, and its reports.',
  id: { resolve: (c: EdgeCheckRecord) => c.id },
  load: (ids: string[], ctx) => (ctx.viewer ? ctx.services.edgeChecksByIds(ctx.viewer.id, ids) : Promise.resolve(ids.map(() => null))),
  fields: (t) => ({
    model: t.field({ type: Model, nullable: true, description: 'The student; null once deleted.', resolve: (c) => c.modelId }),
    dataset: t.field({ type: Dataset, nullable: true, resolve: (c) => c.datasetId }),
    surrogates: t.field({ type: [Model], nullable: { list: false, items: true }, resolve: (c) => [...c.surrogateIds] }),
    settings: t.field({ type: 'JSON', description: 'eps, squareQueries, pgdSteps, seed, attackCount, sampleSize, thresholds.', resolve: (c) => c.settings }),
    thresholds: t.field({ type: EdgeThresholds, nullable: true, description: 'What a report must reach to pass; null: only integrity is judged.', resolve: (c) => c.settings.thresholds ?? null }),
    verdict: t.field({
      type: EdgeVerdict,
      nullable: true,
      description: "The latest report's verdict with its reasons; null until a device reports.",
      resolve: async (c, _a, ctx) => {
        const [reports] = await ctx.services.edgeReportsByCheckIds(c.ownerId, [c.id]);
        const last = reports?.at(-1);
        return last ? edgeVerdict(last.report, last.flags, c.settings.thresholds, c.settings.eps) : null;
      },
    }),
    status: t.field({ type: EdgeCheckStatus, resolve: (c) => c.status }),
    modelSha256: t.exposeString('modelSha256', { description: 'The student sha256 the bundle announces.' }),
    sampleSha256: t.exposeString('sampleArtifact', { description: 'SHA-256 of the binary sample file.' }),
    bundleUrl: t.string({ description: 'GET with the bearer token: the bundle manifest a device starts from.', resolve: (c, _a, ctx) => ctx.services.edgeBundleUrl(c) }),
    reports: t.loadableList({
      type: EdgeReport,
      description: 'Device reports, oldest first.',
      load: (ids: string[], ctx) => (ctx.viewer ? ctx.services.edgeReportsByCheckIds(ctx.viewer.id, ids) : Promise.resolve(ids.map(() => []))),
      resolve: (c) => c.id,
    }),
    flags: t.field({
      type: [EdgeCheckFlag],
      description: "The latest report's flags (empty until a device reports).",
      resolve: async (c, _a, ctx) => {
        const [reports] = await ctx.services.edgeReportsByCheckIds(c.ownerId, [c.id]);
        return [...(reports?.at(-1)?.flags ?? [])];
      },
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
  }),
});
