/**
 * A typed error crossing a thread boundary. Structured clone keeps neither the class nor its own
 * fields, and the schema picks a result type by `instanceof`, so the class travels by name and is
 * rebuilt by revive-error.ts; anything else arrives as a plain Error (masked by yoga as it would be in-process).
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const { code, details } = e as { code?: unknown; details?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(details && typeof details === 'object' ? { details: JSON.parse(JSON.stringify(details)) as Record<string, unknown> } : {}),
    stack: e.stack,
  };
}
