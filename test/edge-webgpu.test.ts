import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectEdgeBackend, type EdgeBackendChoice, runDeviceChecks, decodeEdgeSample } from '@temper/edge/device';
import type { EdgeReport } from '@temper/edge/device';
import type { Classifier } from '@temper/edge';
import { buildEdgeServerSide, type EdgeServerSide } from './edge-fixtures.ts';
import { installNodeWebGpu } from './webgpu-node.ts';

/**
 * The device check on WebGPU in Node: Dawn (`webgpu` package) on SwiftShader. The server side (CNN
 * student, MLP surrogate, sample with the server's wasm predictions) is trained on real MNIST on wasm;
 * then the ladder climbs to webgpu and the whole check runs there. SwiftShader emulates the GPU on the
 * CPU (~100 ms per MNIST image through the CNN's first conv here), so the attack budgets are tiny:
 * this proves the path and the numerics, not GPU speed.
 */

const SAMPLE = 200;
const ATTACKED = 6;
const SETTINGS = { eps: 0.2, squareQueries: 15, pgdSteps: 3, seed: 5, attackCount: ATTACKED, latency: { runs: 5, batchRuns: 2, batchSize: 16, warmup: 1 } };

let side: EdgeServerSide;
let choice: EdgeBackendChoice;
let report: EdgeReport;
const rows = { student: 0, surrogate: 0 };

/** The classifier with every forward pass counted (rows of each model.apply). */
function counted(c: Classifier, key: keyof typeof rows): Classifier {
  const model = new Proxy(c.model, {
    get(target, prop, receiver) {
      if (prop !== 'apply') return Reflect.get(target, prop, receiver);
      return (x: tf.Tensor, kwargs?: Record<string, unknown>) => {
        rows[key] += x.shape[0];
        return target.apply(x, kwargs);
      };
    },
  }) as LayersModel;
  return { ...c, model };
}

beforeAll(async () => {
  side = await buildEdgeServerSide({ sampleSize: SAMPLE });
  await installNodeWebGpu();
  choice = await selectEdgeBackend();
  const started = performance.now();
  report = await runDeviceChecks({
    ...SETTINGS,
    student: { classifier: counted(side.student, 'student'), sha256: side.studentSha256 },
    surrogates: [{ name: 'mlp', classifier: counted(side.surrogate, 'surrogate'), sha256: side.surrogateSha256 }],
    sample: decodeEdgeSample(side.sampleBytes),
    backend: choice,
  });
  console.log(
    `webgpu (${choice.device.adapter?.description}): clean ${report.clean.accuracy}, agreement with wasm ${report.agreement!.agree}/${report.agreement!.count}; ` +
      `square ${report.square.robustAccuracy.toFixed(2)} in ${(report.square.elapsedMs / 1000).toFixed(1)} s; transfer ${report.transfer.robustAccuracy.toFixed(2)} in ${(report.transfer.elapsedMs / 1000).toFixed(1)} s; ` +
      `batch-1 p50 ${report.latency.batch1.p50Ms.toFixed(0)} ms, p95 ${report.latency.batch1.p95Ms.toFixed(0)} ms; ${report.latency.batch.throughputPerSec.toFixed(1)} img/s at batch 16; ` +
      `whole check ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}, 900_000);

describe('the edge check on WebGPU (Dawn + SwiftShader, real MNIST)', () => {
  it('climbs the ladder to webgpu and reports the adapter', () => {
    expect(choice.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(report.backend).toMatchObject({ name: 'webgpu', forced: false, attempts: [{ backend: 'webgpu', ok: true }] });
    expect(report.backend.reason).toMatch(/^webgpu: WebGPU on google \/ swiftshader/);
    expect(report.device.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader' });
    expect(report.device.platform).toMatch(/^node /);
    expect(report.model.sha256).toBe(side.studentSha256);
  });

  it("agrees with the server's wasm predictions on >= 99.5% of the sample", () => {
    expect(report.agreement!.count).toBe(SAMPLE);
    expect(report.agreement!.rate).toBeGreaterThanOrEqual(0.995);
    expect(report.flags).toEqual([]);
    expect(report.clean.accuracy).toBeGreaterThan(0.85);
  });

  it('ran Square on outputs only: every student forward is accounted for, query by query', () => {
    const sq = report.square;
    const tr = report.transfer;
    expect(Math.max(...sq.queries)).toBeLessThanOrEqual(SETTINGS.squareQueries + 1);
    const sqClean = Math.round(sq.cleanAccuracy * ATTACKED);
    const trClean = Math.round(tr.cleanAccuracy * ATTACKED);
    const l = SETTINGS.latency;
    // clean pass + Square (driver's clean pass, one row per query, the verifying pass) + transfer (clean
    // pass, verifying pass) + latency runs. Nothing else touched the student, and the attacks saw it only
    // through outputsOnly, which throws on any gradient.
    const expected =
      SAMPLE + (ATTACKED + sq.queries.reduce((a, b) => a + b, 0) + sqClean) + (ATTACKED + trClean) + (l.warmup + l.runs) + (l.warmup + l.batchRuns) * l.batchSize;
    expect(rows.student).toBe(expected);
  });

  it('crafted the transfer examples on the surrogate, on this device', () => {
    const tr = report.transfer;
    const crafted = Math.round(tr.cleanAccuracy * ATTACKED);
    expect(tr.surrogates).toEqual([expect.objectContaining({ name: 'mlp', sha256: side.surrogateSha256 })]);
    expect(tr.settings).toMatchObject({ surrogates: ['mlp'], steps: SETTINGS.pgdSteps });
    // PGD: one surrogate forward (and backward) per step per crafted row, plus the accuracyOnCrafted pass.
    expect(rows.surrogate).toBeGreaterThanOrEqual(SETTINGS.pgdSteps * crafted + crafted);
    expect(tr.surrogates[0].accuracyOnCrafted!).toBeLessThanOrEqual(0.5);
  });
});
