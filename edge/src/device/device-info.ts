/**
 * What the report says about the device: the GPU adapter (WebGPU), the WebGL renderer, the browser's
 * user agent or Node's platform. Read through globalThis so the same code runs in browsers, workers and
 * Node without importing anything Node-only. WebGPU's types are declared structurally here: TypeScript's
 * DOM library does not carry them.
 */

export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  readonly features?: { has(name: string): boolean; values?(): Iterable<string> };
  readonly isFallbackAdapter?: boolean;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

/** The WebGPU adapter as WebGPU describes it (GPUAdapterInfo); empty strings where the browser hides them. */
export interface AdapterDetails {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** Chrome's software adapter (SwiftShader) when true. */
  readonly isFallbackAdapter: boolean | null;
}

export interface WebGlDetails {
  readonly vendor: string;
  readonly renderer: string;
}

export interface DeviceDetails {
  /** navigator.userAgent in browsers (and in Node >= 21), else null. */
  readonly userAgent: string | null;
  /** "node 20.20.2 linux x64" under Node, navigator.platform in browsers, else null. */
  readonly platform: string | null;
  readonly hardwareConcurrency: number | null;
  /** Present when a WebGPU adapter was obtained, whichever backend ran. */
  readonly adapter: AdapterDetails | null;
  /** Present when the webgl backend ran. */
  readonly webgl: WebGlDetails | null;
}

interface NavigatorLike {
  readonly gpu?: GpuLike;
  readonly userAgent?: string;
  readonly platform?: string;
  readonly hardwareConcurrency?: number;
}

interface ProcessLike {
  readonly versions?: { readonly node?: string };
  readonly platform?: string;
  readonly arch?: string;
}

export function navigatorLike(): NavigatorLike | undefined {
  return (globalThis as { navigator?: NavigatorLike }).navigator;
}

export function webGpu(): GpuLike | undefined {
  return navigatorLike()?.gpu;
}

/** GPUAdapterInfo through `adapter.info` (current spec) or `requestAdapterInfo()` (older browsers). */
export async function adapterDetails(adapter: GpuAdapterLike): Promise<AdapterDetails> {
  let info: GpuAdapterInfoLike | undefined = adapter.info;
  if (!info && typeof adapter.requestAdapterInfo === 'function') {
    try {
      info = await adapter.requestAdapterInfo();
    } catch {
      info = undefined;
    }
  }
  return {
    vendor: String(info?.vendor ?? ''),
    architecture: String(info?.architecture ?? ''),
    device: String(info?.device ?? ''),
    description: String(info?.description ?? ''),
    isFallbackAdapter: typeof adapter.isFallbackAdapter === 'boolean' ? adapter.isFallbackAdapter : null,
  };
}

export function describeDevice(extra: { adapter?: AdapterDetails | null; webgl?: WebGlDetails | null } = {}): DeviceDetails {
  const nav = navigatorLike();
  const proc = (globalThis as { process?: ProcessLike }).process;
  const node = proc?.versions?.node;
  const platform = node ? `node ${node} ${proc?.platform ?? ''} ${proc?.arch ?? ''}`.trim() : typeof nav?.platform === 'string' && nav.platform ? nav.platform : null;
  return {
    userAgent: typeof nav?.userAgent === 'string' ? nav.userAgent : null,
    platform,
    hardwareConcurrency: typeof nav?.hardwareConcurrency === 'number' ? nav.hardwareConcurrency : null,
    adapter: extra.adapter ?? null,
    webgl: extra.webgl ?? null,
  };
}
