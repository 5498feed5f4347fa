/** The edge check (issue #7): what a browser or device runs on itself against a hardened student. */
export { AGREEMENT_THRESHOLD, predictionAgreement, type AgreementReport } from './agreement.ts';
export {
  currentEdgeBackend,
  EDGE_BACKEND_ENV,
  EDGE_BACKENDS,
  parseEdgeBackendName,
  selectEdgeBackend,
  type BackendLadderOptions,
  type EdgeBackendAttempt,
  type EdgeBackendChoice,
  type EdgeBackendName,
} from './backend-ladder.ts';
export { adapterDetails, describeDevice, type AdapterDetails, type DeviceDetails, type GpuAdapterLike, type GpuLike, type WebGlDetails } from './device-info.ts';
export { runDeviceChecks, squareQueryCurve, type DeviceCheckOptions, type EdgePhase, type EdgeProgress, type EdgeSurrogate } from './edge-check.ts';
export { measureLatency, percentile, type LatencyOptions, type LatencyReport, type LatencySeries } from './latency.ts';
export { BLACK_BOX_GRADIENT_MESSAGE, outputsOnly } from './outputs-only.ts';
export {
  EDGE_REPORT_VERSION,
  edgeReportFlags,
  EdgeFlagCodes,
  type EdgeFlag,
  type EdgeFlagCode,
  type EdgeReport,
  type QueryCurvePoint,
  type SquareSection,
  type TransferSection,
  type TransferSurrogateResult,
} from './report.ts';
export { runEdgeCheck, type EdgeCheckOutcome, type RunEdgeCheckOptions } from './run-edge-check.ts';
export { edgeRobustAccuracy, edgeVerdict, EdgeVerdictCodes, thresholdsJson, type EdgeThresholds, type EdgeVerdict, type EdgeVerdictCode, type EdgeVerdictReason } from './verdict.ts';
export {
  decodeEdgeSample,
  dequantizePixels,
  EDGE_SAMPLE_DTYPE_UINT8,
  EDGE_SAMPLE_HEADER_BYTES,
  EDGE_SAMPLE_MAGIC,
  EDGE_SAMPLE_VERSION,
  edgeSampleDataset,
  encodeEdgeSample,
  quantizeDataset,
  quantizePixels,
  type EdgeSample,
  type EncodeEdgeSampleInput,
} from './sample-format.ts';
export { EDGE_BUNDLE_VERSION, parseEdgeBundleManifest, type EdgeBundleManifest, type EdgeCheckSettings, type EdgeModelRef } from './bundle-format.ts';
export { EdgeTransportError } from './transport-error.ts';
export {
  edgeBundleUrl,
  edgeGraphqlUrl,
  fetchEdgeBundle,
  fetchEdgeManifest,
  fetchEdgeModel,
  SUBMIT_EDGE_REPORT_MUTATION,
  submitEdgeReport,
  type EdgeSubmission,
  type FetchedBundle,
  type FetchedModel,
  type FetchLike,
  type TransportOptions,
} from './transport.ts';
