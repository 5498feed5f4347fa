import { parse, validate } from 'graphql';
import { expect, test } from 'vitest';
import { SUBMIT_EDGE_REPORT_MUTATION } from '@temper/edge/device';
import { schema } from './schema.ts';

/**
 * A device submits its edge report with a document written by hand in @temper/edge (device/transport.ts):
 * edge sits below the clients, so the SDK's codegen never type-checks it. This does, against the schema
 * the server runs.
 */

const errorsOf = (document: string) => validate(schema, parse(document)).map((e) => e.message);

test('the edge report mutation the device sends is valid against the API schema', () => {
  expect(errorsOf(SUBMIT_EDGE_REPORT_MUTATION)).toEqual([]);
});

test('the check would catch a drifted document (a renamed field or input type)', () => {
  expect(errorsOf(SUBMIT_EDGE_REPORT_MUTATION.replace('flags { code message }', 'flags { code text }'))).not.toEqual([]);
  expect(errorsOf(SUBMIT_EDGE_REPORT_MUTATION.replace('SubmitEdgeReportInput!', 'EdgeReportInput!'))).not.toEqual([]);
});
