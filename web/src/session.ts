import { TemperClient } from '@temper/clients';
import { progressFetch } from './upload-fetch.ts';

/** The signed-in token lives in sessionStorage: it is the tab's, and GraphiQL (same origin) reads it too. */
const KEY = 'temper.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const saveToken = (token: string | null): void => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));
export const clientFor = (token: string): TemperClient => new TemperClient({ url: location.origin, token });

/** A client for one upload, reporting how many bytes have gone. */
export const uploadClientFor = (client: TemperClient, onProgress: (sent: number, total: number) => void): TemperClient =>
  new TemperClient({ ...client.options, fetch: progressFetch(onProgress) });
