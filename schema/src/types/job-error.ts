import { builder } from '../builder.ts';

export const JobError = builder.objectRef<{ code: string; message: string }>('JobError').implement({
  description: 'Why a job failed: a stable code (TemperError codes, WORKER_CRASHED, INTERNAL) and a message.',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});
