import { COMMON_METHOD_PARAMS, HARDENING_METHOD_KEYS, HARDENING_METHOD_NAMES, HARDENING_METHODS, methodNeedsTeacher } from '@temper/contracts';
import { describe, expect, it } from 'vitest';
import { getMethod, METHODS, methodNames } from './registry.ts';

describe('hardening registry against the catalogue in @temper/contracts', () => {
  it('has a definition for every catalogue method and no other', () => {
    expect(Object.keys(METHODS).sort()).toEqual([...HARDENING_METHOD_NAMES].sort());
    expect(methodNames()).toEqual([...HARDENING_METHOD_NAMES]);
  });

  it.each(HARDENING_METHOD_KEYS)('%s: the definition agrees with its catalogue entry', (key) => {
    const entry = HARDENING_METHODS[key];
    const def = getMethod(entry.value);
    expect(def.name).toBe(entry.value);
    expect(def.needsTeacher).toBe(entry.teacher);
    expect(methodNeedsTeacher(entry.value)).toBe(def.needsTeacher);
    expect(def.title).toBe(entry.title);
    expect(def.reference).toBe(entry.reference);
    expect(def.attackBatchNorm).toBe(entry.attackBatchNorm);
    expect(Object.keys(def.params).sort()).toEqual([...COMMON_METHOD_PARAMS, ...entry.params].sort());
  });

  it('rejects a name outside the catalogue with TRAINING_INVALID_CONFIG', () => {
    for (const name of ['PGD_AT', 'mart', 'constructor']) expect(() => getMethod(name), name).toThrow(expect.objectContaining({ code: 'TRAINING_INVALID_CONFIG' }));
    expect(methodNeedsTeacher('mart')).toBe(false);
  });
});
