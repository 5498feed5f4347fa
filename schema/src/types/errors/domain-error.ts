import { builder } from '../../builder.ts';

/** What every error result shares: a stable code, a message meant for people, structured details. */
export interface DomainErrorShape {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export const DomainError = builder.interfaceRef<DomainErrorShape>('DomainError').implement({
  description: 'An expected failure, returned as a result rather than raised. Query `code`, not `message`.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable machine-readable code (e.g. MODEL_MISSING_SHARD).' }),
    message: t.exposeString('message'),
    details: t.field({ type: 'JSON', description: 'Structured facts: file names, expected vs. actual sizes.', resolve: (e) => e.details ?? {} }),
  }),
});

/** Registers an error class as an object type implementing DomainError. */
export function errorType<T extends DomainErrorShape>(cls: abstract new (...args: never[]) => T, name: string, description: string) {
  return builder.objectType(cls as unknown as new (...args: unknown[]) => T, { name, description, interfaces: [DomainError] as never, isTypeOf: (v) => v instanceof cls });
}
