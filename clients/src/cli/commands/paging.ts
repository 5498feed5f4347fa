/** Pages through a Relay connection 100 at a time (the server's page limit), up to `limit` nodes. */
export async function collectPages<T>(
  fetchPage: (after: string | null) => Promise<{ nodes: T[]; hasNextPage: boolean; endCursor: string | null | undefined }>,
  limit = Infinity,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    out.push(...page.nodes);
    if (!page.hasNextPage || !page.endCursor || out.length >= limit) return out.slice(0, limit);
    after = page.endCursor;
  }
}
