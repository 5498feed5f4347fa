import { CliError, ExitCode } from './exit-codes.ts';

/** Small text formatters and option parsers shared by the commands (no terminal control here). */

export function pct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(digits)}%`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  const s = x.toPrecision(digits);
  return s.includes('.') && !s.includes('e') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * Columns padded to their widest cell; numbers-looking cells right-aligned. With `fit`, the named
 * column's cells are clipped (never below its header or 8 characters) so lines stay within `width`
 * characters: a long name must not push a listing past a terminal's edge.
 */
export function table(header: readonly string[], rows0: readonly (readonly string[])[], fit?: { readonly column: number; readonly width: number }): string {
  let rows = rows0;
  if (fit) {
    const others = header.reduce((sum, h, i) => (i === fit.column ? sum : sum + Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))), 0) + 2 * (header.length - 1);
    const room = Math.max(8, header[fit.column].length, fit.width - others);
    rows = rows.map((r) => r.map((c, i) => (i === fit.column ? clip(c, room) : c)));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+%?$|^-$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A comma list of numbers ("0.1,0.2,0.3"). */
export function parseNumberList(value: string, what: string): number[] {
  const out = value.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (out.length === 0 || out.some((x) => !Number.isFinite(x))) throw new CliError(ExitCode.USAGE, `${what} must be a comma-separated list of numbers, got "${value}"`);
  return out;
}

/** A fraction in [0,1], also written as a percentage ("85%"). */
export function parseFraction(value: string, what: string): number {
  const m = /^\s*([\d.]+)\s*(%?)\s*$/.exec(value);
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new CliError(ExitCode.USAGE, `${what} must be a fraction in [0,1] (or a percentage), got "${value}"`);
  return x;
}

export function parseIntOption(value: string, what: string, min = 0): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < min) throw new CliError(ExitCode.USAGE, `${what} must be an integer >= ${min}, got "${value}"`);
  return x;
}

export function parseNumber(value: string, what: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new CliError(ExitCode.USAGE, `${what} must be a number, got "${value}"`);
  return x;
}

export function parseJson(value: string, what: string): unknown {
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new CliError(ExitCode.USAGE, `${what} must be JSON: ${(e as Error).message}`);
  }
}

/**
 * An L-inf radius in [0,1] pixel units, as a number ("0.031") or a fraction of 255 steps ("8/255",
 * the way papers write it). Papers' radii are exact 8-bit steps; typing 0.0314 would miss them.
 */
export function parseEps(value: string, what: string): number {
  const m = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(value);
  const x = m ? Number(m[1]) / Number(m[2]) : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new CliError(ExitCode.USAGE, `${what} must be a radius in [0,1], as a number (0.031) or a fraction (8/255), got "${value}"`);
  return x;
}

/** A comma list of radii ("0.1,0.3" or "2/255,8/255"). */
export function parseEpsList(value: string, what: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new CliError(ExitCode.USAGE, `${what} must be a comma-separated list of radii, got "${value}"`);
  return parts.map((p) => parseEps(p, what));
}

/**
 * A radius both ways when the decimal alone hides an 8-bit step: 8/255 is "0.03137 (8/255)", while
 * 0.1 or 0.2 stay as typed.
 */
export function epsLabel(eps: number): string {
  const decimal = num(eps);
  const steps = eps * 255;
  const exactStep = Math.abs(steps - Math.round(steps)) < 1e-6 && Math.round(steps) > 0;
  const shortDecimal = /^\d+(\.\d{1,3})?$/.test(decimal) && Math.abs(Number(decimal) - eps) < 1e-12;
  return exactStep && !shortDecimal ? `${decimal} (${Math.round(steps)}/255)` : decimal;
}

/** The shorter of the two for narrow tables: "8/255" for an 8-bit step, else the decimal. */
export function epsShort(eps: number): string {
  const label = epsLabel(eps);
  const m = /\((\d+\/255)\)$/.exec(label);
  return m ? m[1] : label;
}

/** "2026-12-03T10:27:17.123Z" -> "2026-12-03 10:27" (UTC), for narrow tables. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').slice(0, 16);
}

/** Cuts a cell to `width` characters with an ellipsis. */
export function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
