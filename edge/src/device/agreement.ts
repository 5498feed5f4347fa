/**
 * Whether the device computes the same model: its clean predictions against the server's (cpu or wasm)
 * on the same quantized sample. Backends differ in float rounding (fused multiply-adds, reduction order,
 * fp16 storage on some GPUs), so a few near-tie rows may flip; more than 0.5% is a numerics problem on
 * the device (or a different model) and the server raises EDGE_PREDICTION_DISAGREEMENT.
 */
export const AGREEMENT_THRESHOLD = 0.995;

/** Rows listed by index in the report; the count is always complete. */
const MAX_LISTED = 50;

export interface AgreementReport {
  readonly count: number;
  readonly agree: number;
  /** agree / count. */
  readonly rate: number;
  readonly threshold: number;
  /** rate >= threshold. */
  readonly ok: boolean;
  /** The first disagreeing rows (at most 50). */
  readonly disagreements: readonly { readonly row: number; readonly device: number; readonly server: number }[];
}

export function predictionAgreement(device: ArrayLike<number>, server: ArrayLike<number>, threshold = AGREEMENT_THRESHOLD): AgreementReport {
  if (device.length !== server.length) throw new Error(`Internal: ${device.length} device predictions against ${server.length} server predictions.`);
  let agree = 0;
  const disagreements: { row: number; device: number; server: number }[] = [];
  for (let i = 0; i < device.length; i++) {
    if (device[i] === server[i]) agree++;
    else if (disagreements.length < MAX_LISTED) disagreements.push({ row: i, device: device[i], server: server[i] });
  }
  const rate = device.length === 0 ? 1 : agree / device.length;
  return { count: device.length, agree, rate, threshold, ok: rate >= threshold, disagreements };
}
