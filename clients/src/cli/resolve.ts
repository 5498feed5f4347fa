import type { TemperClient } from '../sdk/client.ts';
import { notFound } from '../sdk/client.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { decodeGlobalId, matchRef, resolveRef, shortId } from './short-id.ts';

export const JOB_TYPES = ['HardeningJob', 'EvaluationJob', 'ZooTrainingJob'] as const;
/** What `report` and `gate` read: a job with an evaluation, or an evaluation. */
export const REPORT_TYPES = [...JOB_TYPES, 'Evaluation'] as const;

/**
 * A model reference: a model id, or the id of a job that produced one (a zoo or hardening job),
 * so a CI script can pass job ids along without parsing JSON. Short ids and model names work too.
 */
export async function resolveModel(client: TemperClient, ref: string): Promise<{ id: string; name: string; datasetId: string | null }> {
  const id = await resolveRef(client, ref, ['Model', 'HardeningJob', 'ZooTrainingJob']);
  const node = await client.node(id);
  if (!node) throw notFound(id);
  if (node.__typename === 'Model') return { id: node.id, name: node.name, datasetId: node.createdBy?.dataset?.id ?? null };
  if (node.__typename === 'HardeningJob' || node.__typename === 'ZooTrainingJob') {
    if (!node.resultModel) throw new CliError(ExitCode.NOT_FINISHED, `job ${id} has no model yet (it is ${node.status}); add --wait where you created it`);
    const model = await client.node(node.resultModel.id);
    return { id: node.resultModel.id, name: node.resultModel.name, datasetId: model?.__typename === 'Model' ? (model.createdBy?.dataset?.id ?? null) : null };
  }
  throw new CliError(ExitCode.USAGE, `${id} is a ${node.__typename}, not a model (or a job that made one)`);
}

/** A dataset id, the name of one of the viewer's datasets ("mnist"), or a short id. */
export async function resolveDataset(client: TemperClient, ref: string): Promise<string> {
  const all = await client.datasets();
  const byId = all.find((d) => d.id === ref);
  if (byId) return byId.id;
  const byName = all.filter((d) => d.name === ref);
  if (byName.length === 1) return byName[0].id;
  if (byName.length > 1) throw new CliError(ExitCode.USAGE, `${byName.length} datasets are named "${ref}": pass an id (${byName.map((d) => shortId(d.id)).join(', ')})`);
  if (decodeGlobalId(ref) === null) {
    const byPrefix = matchRef(ref, all.map((d) => ({ id: d.id, type: 'Dataset', name: d.name })));
    if (byPrefix.length === 1) return byPrefix[0].id;
  }
  throw new CliError(ExitCode.NOT_FOUND, `No dataset with id or name "${ref}" (known: ${all.map((d) => d.name).join(', ')})`);
}
