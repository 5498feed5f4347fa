/**
 * The one progress throttle: reports closer together than `intervalMs` are dropped unless forced
 * (phase changes, epoch ends, the last step of a stage), so a fast loop cannot flood the timeline.
 */
export class ProgressThrottle {
  private last = 0;
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** true when this report should be written. */
  admit(force = false): boolean {
    const t = this.now();
    if (!force && t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}
