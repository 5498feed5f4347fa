import { describe, expect, test } from 'vitest';
import { decodeGlobalId, matchRef, shortId, type IndexedObject } from './short-id.ts';

const gid = (type: string, local: string) => btoa(`${type}:${local}`);
const objects: IndexedObject[] = [
  { id: gid('Model', '3f2a9c1e-0000-4000-8000-000000000001'), type: 'Model', name: 'student' },
  { id: gid('Model', '3f2b0000-0000-4000-8000-000000000002'), type: 'Model', name: 'teacher' },
  { id: gid('HardeningJob', 'a1b2c3d4-0000-4000-8000-000000000003'), type: 'HardeningJob', name: null },
  { id: gid('Dataset', 'builtin-mnist'), type: 'Dataset', name: 'mnist' },
];

describe('short ids', () => {
  test('8 hex digits of the uuid; global ids decode, anything else does not', () => {
    expect(shortId(objects[0].id)).toBe('3f2a9c1e');
    expect(shortId(objects[3].id)).toBe('builtin-mnist');
    expect(decodeGlobalId(objects[2].id)).toEqual({ type: 'HardeningJob', local: 'a1b2c3d4-0000-4000-8000-000000000003' });
    expect(decodeGlobalId('student')).toBeNull();
    expect(decodeGlobalId('3f2a9c1e')).toBeNull();
  });

  test('a unique prefix, a name or the full id resolves; a shared prefix matches several; under 4 characters matches none', () => {
    expect(matchRef('3f2a', objects).map((o) => o.name)).toEqual(['student']);
    expect(matchRef('3F2A9C1E', objects).map((o) => o.name)).toEqual(['student']);
    expect(matchRef('teacher', objects).map((o) => o.name)).toEqual(['teacher']);
    expect(matchRef('3f2', objects)).toEqual([]);
    expect(matchRef('3f2a9c1e-0000', objects)).toHaveLength(1);
    expect(matchRef(objects[2].id, objects)).toEqual([objects[2]]);
    expect(matchRef(objects[2].id.slice(0, 20), objects)).toEqual([objects[2]]);
    // "Model:3f2" is shared by both models' global ids: a prefix of both.
    expect(matchRef(gid('Model', '3f2').slice(0, 12), objects)).toHaveLength(2);
  });
});
