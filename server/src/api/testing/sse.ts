type Fetchable = { fetch(...args: any[]): Promise<Response> | Response };

export interface SseResult {
  readonly events: Record<string, any>[];
  /** True when the server ended the stream (a `complete` event), false when we stopped reading. */
  readonly completed: boolean;
}

/**
 * Runs a subscription over server-sent events (yoga's default transport, through yoga.fetch or a
 * real URL) and collects `next` payloads until the stream completes, `stop` says so, or the timeout.
 */
export async function sse(
  target: Fetchable | string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { stop?: (events: Record<string, any>[]) => boolean; timeoutMs?: number; onOpen?: () => void } = {},
): Promise<SseResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 60_000);
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  };
  const res = typeof target === 'string' ? await fetch(target, init) : await target.fetch('http://temper.test/graphql', init);
  const events: Record<string, any>[] = [];
  let completed = false;
  options.onOpen?.();
  try {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (\w+)/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (event === 'complete') completed = true;
        else if (data) events.push(JSON.parse(data));
      }
      if (completed || options.stop?.(events)) break;
    }
    if (!completed) controller.abort();
  } catch (e) {
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  return { events, completed };
}
