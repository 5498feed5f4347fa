/**
 * eps shown both ways: papers and AutoAttack's model zoo state radii as fractions of 255 ("8/255"),
 * Temper computes in [0,1] units.
 */

/** "k/255" when eps is (to float precision) a whole number of 255ths, else null. */
export function epsFraction(eps: number): string | null {
  const k = eps * 255;
  const r = Math.round(k);
  return r > 0 && Math.abs(k - r) < 1e-6 ? `${r}/255` : null;
}

/** Parses "0.031", "8/255" or "8 / 255" into a number; NaN for anything else. */
export function parseEps(text: string): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(t);
  if (m) {
    const den = Number(m[2]);
    return den > 0 ? Number(m[1]) / den : Number.NaN;
  }
  return /^\d*\.?\d+(?:e-?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}
