import { builder } from '../builder.ts';
import type { BackendDetailsRecord, ServerInfoRecord } from '@temper/contracts';

const WorkerInfo = builder.objectRef<ServerInfoRecord['workers'][number]>('WorkerInfo').implement({
  description: 'One job worker child process.',
  fields: (t) => ({
    index: t.exposeInt('index'),
    pid: t.exposeInt('pid', { nullable: true }),
    busyJobId: t.exposeID('busyJobId', { nullable: true, description: 'Local id of the job it runs, if it is one of the viewer\'s (null for another owner\'s job).' }),
    restarts: t.exposeInt('restarts'),
  }),
});

const MethodInfo = builder.objectRef<{ name: string; needsTeacher: boolean }>('HardeningMethodInfo').implement({
  fields: (t) => ({ name: t.exposeString('name'), needsTeacher: t.exposeBoolean('needsTeacher') }),
});

const ZooArchitectureInfo = builder.objectRef<{ name: string; description: string }>('ZooArchitecture').implement({
  fields: (t) => ({ name: t.exposeString('name'), description: t.exposeString('description') }),
});

const BackendDetails = builder.objectRef<BackendDetailsRecord>('BackendDetails').implement({
  description: 'The compute engine of the workers beyond its name.',
  fields: (t) => ({
    libtensorflow: t.exposeString('libtensorflow', { nullable: true, description: 'libtensorflow version on the tensorflow backend.' }),
    threads: t.exposeInt('threads', { description: 'Threads one op may use (TensorFlow intra-op threads; 1 on wasm and cpu).' }),
    gpu: t.exposeBoolean('gpu', { description: 'Whether TensorFlow runs ops on a GPU device.' }),
  }),
});

export const ServerInfo = builder.objectRef<ServerInfoRecord>('ServerInfo').implement({
  description: 'What this server runs on and what it offers.',
  fields: (t) => ({
    version: t.exposeString('version'),
    nodeVersion: t.exposeString('nodeVersion'),
    tfjsVersion: t.exposeString('tfjsVersion'),
    backend: t.exposeString('backend', { nullable: true, description: 'Compute backend of the workers (tensorflow, wasm, cpu).' }),
    backendReason: t.exposeString('backendReason', { nullable: true, description: 'Why that backend: what was tried and what failed.' }),
    backendDetails: t.expose('backendDetails', { type: BackendDetails, nullable: true }),
    workers: t.field({ type: [WorkerInfo], resolve: (s) => [...s.workers] }),
    queuedJobs: t.exposeInt('queuedJobs', { description: 'The viewer\'s queued jobs.' }),
    runningJobs: t.exposeInt('runningJobs', { description: 'The viewer\'s running jobs.' }),
    hardeningAvailable: t.exposeBoolean('hardeningAvailable', { description: 'Whether the hardening engine is installed in this build.' }),
    methods: t.field({ type: [MethodInfo], resolve: (s, _a, ctx) => s.methods.map((name) => ({ name, needsTeacher: ctx.services.methodNeedsTeacher(name) })) }),
    zooArchitectures: t.field({ type: [ZooArchitectureInfo], resolve: (s) => [...s.zooArchitectures] }),
    attacks: t.exposeStringList('attacks'),
  }),
});
