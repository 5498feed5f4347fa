import { useState } from 'preact/hooks';
import type { TemperClient } from '@temper/clients';
import { fieldErrors, type FieldErrors } from './field-errors.ts';
import { uploadClientFor } from './session.ts';

/** One upload at a time from a form: its progress, its field errors, and what came back. */
export function useUpload(client: TemperClient) {
  const [progress, setProgress] = useState({ sent: 0, total: 0 });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  async function run<T>(send: (c: TemperClient) => Promise<T>): Promise<T | null> {
    setErrors({});
    setBusy(true);
    setProgress({ sent: 0, total: 0 });
    try {
      return await send(uploadClientFor(client, (sent, total) => setProgress({ sent, total })));
    } catch (e) {
      setErrors(fieldErrors(e));
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { progress, errors, setErrors, busy, run };
}
