import { describe, expect, it } from 'vitest';
import { edgeBundleUrl, edgeGraphqlUrl } from './transport.ts';

/** Where a device finds the server; the downloads and the submission run end to end in test/edge-check-http.test.ts. */

describe('edge transport layout', () => {
  it('builds the bundle and GraphQL URLs under the API base, encoding the check id', () => {
    expect(edgeBundleUrl('http://h:4000', 'c 1/x')).toBe('http://h:4000/edge/checks/c%201%2Fx/bundle');
    expect(edgeBundleUrl('https://h/api/', 'c1')).toBe('https://h/api/edge/checks/c1/bundle');
    expect(edgeGraphqlUrl('https://h/api')).toBe('https://h/api/graphql');
  });
});
