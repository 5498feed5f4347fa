/** Numbers as the pages show them; '–' wherever a value is missing or not finite. */

export const pct = (v: number | null | undefined): string => (v == null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`);

export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function secondsBetween(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null;
  const s = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : null;
}

/** eps as people write it: 0.3 stays 0.3, 0.0313725… is 8/255; anything else, four digits. */
export function epsLabel(eps: number): string {
  if (Math.abs(eps * 100 - Math.round(eps * 100)) < 1e-9) return String(Math.round(eps * 100) / 100);
  const k = Math.round(eps * 255);
  return k > 0 && Math.abs(eps * 255 - k) < 1e-6 ? `${k}/255` : String(Number(eps.toPrecision(4)));
}

export const bytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);
