import type { ComponentChildren } from 'preact';
import type { FieldErrors } from './field-errors.ts';

/** A labelled form control with the API's error for it right below. */
export function Field({ label, name, errors, hint, children }: { label: string; name: string; errors: FieldErrors; hint?: string; children: ComponentChildren }) {
  const error = errors[name];
  return (
    <label class={`field${error ? ' invalid' : ''}`}>
      <span class="label">{label}</span>
      {children}
      {hint && <small class="hint">{hint}</small>}
      {error && <small class="error" data-testid={`error-${name}`}>{error}</small>}
    </label>
  );
}

/** The error of a group of controls (the files of an upload). */
export function FieldError({ name, errors }: { name: string; errors: FieldErrors }) {
  return errors[name] ? <p class="error" data-testid={`error-${name}`}>{errors[name]}</p> : null;
}

/** The errors no field owns. */
export function FormError({ errors }: { errors: FieldErrors }) {
  return errors[''] ? <p class="error" data-testid="error-form">{errors['']}</p> : null;
}

/** An upload's progress. */
export function UploadProgress({ sent, total }: { sent: number; total: number }) {
  if (!total) return null;
  return (
    <span class="progress" data-testid="upload-progress" data-sent={sent} data-total={total}>
      <progress max={total} value={sent} /> {Math.round((sent / total) * 100)}%
    </span>
  );
}
