/**
 * Seconds left of a running job. The worker's own estimate when it sent one (it knows the epochs
 * ahead); otherwise extrapolated from the time spent so far and the done fraction, which is what a
 * progress bar implies. null when neither says anything yet.
 */
export function etaSeconds(job: { status: string; startedAt?: string | null; progress?: { etaSeconds?: number | null; fraction?: number | null } | null }, now = Date.now()): number | null {
  if (job.status !== 'RUNNING') return null;
  const reported = job.progress?.etaSeconds;
  if (reported != null && Number.isFinite(reported) && reported >= 0) return reported;
  const f = job.progress?.fraction;
  const started = job.startedAt ? Date.parse(job.startedAt) : NaN;
  if (f == null || !(f > 0.01) || f >= 1 || !Number.isFinite(started)) return null;
  const spent = (now - started) / 1000;
  return spent > 0 ? (spent * (1 - f)) / f : null;
}
