import type { OwnerRecord, TemperServices } from '@temper/contracts';

export interface TemperContext {
  /** The authenticated owner; null for anonymous requests (which only reach public fields). */
  readonly viewer: OwnerRecord | null;
  readonly services: TemperServices;
  readonly request?: Request;
}
