import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/scalars.ts';
import './types/enums.ts';
import './types/errors/domain-error.ts';
import './types/errors/model-format-error.ts';
import './types/errors/model-compatibility-error.ts';
import './types/errors/dataset-format-error.ts';
import './types/errors/dataset-error.ts';
import './types/errors/zoo-error.ts';
import './types/errors/attack-config-error.ts';
import './types/errors/training-config-error.ts';
import './types/errors/not-found-error.ts';
import './types/errors/conflict-error.ts';
import './types/errors/upload-error.ts';
import './types/errors/invalid-request-error.ts';
import './types/model-file.ts';
import './types/model.ts';
import './types/dataset.ts';
import './types/eps-point.ts';
import './types/evaluation-flag.ts';
import './types/evaluation.ts';
import './types/evaluation-sample.ts';
import './types/job-progress.ts';
import './types/job-error.ts';
import './types/job.ts';
import './types/job-event.ts';
import './types/hardening-job.ts';
import './types/evaluation-job.ts';
import './types/zoo-training-job.ts';
import './types/edge-sample-job.ts';
import './types/model-created-by.ts';
import './types/edge-check.ts';
import './types/server-info.ts';
import './types/api-token.ts';
import './types/viewer.ts';
import './types/query.ts';
import './types/mutations/mutation.ts';
import './types/mutations/upload-model.ts';
import './types/mutations/upload-dataset.ts';
import './types/mutations/create-zoo-model.ts';
import './types/mutations/harden-model.ts';
import './types/mutations/evaluate-model.ts';
import './types/mutations/tokens.ts';
import './types/mutations/cancel-job.ts';
import './types/mutations/delete-model.ts';
import './types/mutations/edge-check.ts';
import './types/subscription.ts';

export const schema: GraphQLSchema = builder.toSchema();

/** The SDL as checked in at schema/schema.graphql (sorted, so diffs show real changes only). */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
