import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { EvaluationRecord } from '@temper/contracts';
import type { RobustnessReport } from '@temper/edge/evaluation';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { ApiErrorCodes } from '../errors.ts';
import { EpsNotEvaluated, reportExamples, reportSamples, type ExampleView, type SampleAtEps, type SampleView } from '../report-view.ts';
import { Evaluation } from './evaluation.ts';

/**
 * Per-example results and the adversarial-example gallery of an evaluation, typed, read from its stored
 * report (report-view.ts). Costed like every paged list: `samples(first:)` multiplies what it selects.
 */

const report = (e: EvaluationRecord) => e.report as Partial<RobustnessReport>;

function epsError(e: unknown): never {
  if (e instanceof EpsNotEvaluated) {
    throw new GraphQLError(e.message, { extensions: { code: ApiErrorCodes.EPS_NOT_EVALUATED, eps: e.eps, evaluated: [...e.evaluated] } });
  }
  throw e;
}

export const EvaluationSampleResult = builder.objectRef<SampleAtEps>('EvaluationSampleResult').implement({
  description: 'One example at one eps: robust, or which attack fooled it, when, and how far.',
  fields: (t) => ({
    eps: t.exposeFloat('eps'),
    epsFraction: t.exposeString('epsFraction', { nullable: true, description: 'eps as "k/255" when it is a whole number of 255ths.' }),
    robust: t.exposeBoolean('robust', { description: 'Every attack failed on it (false for clean mistakes).' }),
    attack: t.exposeString('attack', { nullable: true, description: 'The attack of the ensemble that fooled it; null when none did.' }),
    step: t.exposeInt('step', { nullable: true, description: 'Iteration at which that (gradient) attack found it, counted over restarts and targets.' }),
    query: t.exposeInt('query', { nullable: true, description: 'Queries that (score-based) attack needed.' }),
    margin: t.exposeFloat('margin', {
      nullable: true,
      description: 'z_y - max_{k != y} z_k: on the adversarial image where fooled (<= 0), the smallest any attack reached where robust, the clean margin for clean mistakes.',
    }),
    prediction: t.exposeInt('prediction', { nullable: true, description: 'Class predicted on the worst-case image.' }),
  }),
});

export const EvaluationSample = builder.objectRef<SampleView>('EvaluationSample').implement({
  description: 'One evaluated example (a row of the test split the evaluation ran on) and its result at each eps.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Row in the evaluated examples (the first numExamples rows of the test split).' }),
    label: t.exposeInt('label', { nullable: true, description: 'null in reports written before labels were stored.' }),
    cleanPrediction: t.exposeInt('cleanPrediction', { nullable: true }),
    cleanCorrect: t.exposeBoolean('cleanCorrect'),
    results: t.field({ type: [EvaluationSampleResult], resolve: (s) => [...s.results] }),
  }),
});

export const AdversarialExample = builder.objectRef<ExampleView>('AdversarialExample').implement({
  description: 'One fooled example for a gallery: the clean and the adversarial image (HWC rows of [0,1] pixels), the true label and both predictions.',
  fields: (t) => ({
    eps: t.exposeFloat('eps'),
    epsFraction: t.exposeString('epsFraction', { nullable: true }),
    index: t.exposeInt('index', { description: 'Row in the evaluated examples.' }),
    label: t.exposeInt('label'),
    cleanPrediction: t.exposeInt('cleanPrediction'),
    adversarialPrediction: t.exposeInt('adversarialPrediction'),
    attack: t.exposeString('attack', { description: 'The attack that found it.' }),
    margin: t.exposeFloat('margin'),
    shape: t.exposeIntList('shape', { description: '[height, width, channels] of both images.' }),
    clean: t.exposeFloatList('clean', { description: 'height*width*channels pixels in [0,1], row-major HWC.' }),
    adversarial: t.exposeFloatList('adversarial', { description: 'Same layout; within eps of clean in every pixel.' }),
  }),
});

builder.objectFields(Evaluation, (t) => ({
  samples: t.connection(
    {
      type: EvaluationSample,
      description: 'Per-example results in row order, paged. eps: only that radius (EPS_NOT_EVALUATED if it did not run); robust: only examples robust (or not) at every selected eps.',
      args: {
        eps: t.arg.float({ required: false }),
        robust: t.arg.boolean({ required: false }),
      },
      resolve: async (e, args) => {
        let rows: SampleView[];
        try {
          rows = reportSamples(report(e), { eps: args.eps, robust: args.robust });
        } catch (err) {
          epsError(err);
        }
        const connection = await resolveOffsetConnection({ args }, ({ offset, limit }) => rows.slice(offset, offset + limit));
        return Object.assign(connection, { totalCount: rows.length });
      },
    },
    {
      name: 'EvaluationSampleConnection',
      fields: (c) => ({ totalCount: c.int({ description: 'Examples matching the filter.', resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
    },
  ),
  examples: t.field({
    type: [AdversarialExample],
    description: 'The stored gallery (up to a dozen fooled examples per eps, first in row order); all eps when none is given. first caps the list.',
    args: {
      eps: t.arg.float({ required: false }),
      first: t.arg.int({ required: false, validate: z.number().int().min(0).max(1000) }),
    },
    resolve: (e, args) => {
      try {
        const all = reportExamples(report(e), args.eps);
        return args.first == null ? all : all.slice(0, args.first);
      } catch (err) {
        epsError(err);
      }
    },
  }),
}));
