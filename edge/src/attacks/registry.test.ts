import { ATTACK_CATALOGUE, ATTACK_NAMES, STANDARD_ATTACKS } from '@temper/contracts';
import { describe, expect, it } from 'vitest';
import { ATTACKS, attackNames, getAttack } from './registry.ts';

describe('attack registry against the catalogue in @temper/contracts', () => {
  it('holds exactly the catalogue attacks, each under its own name', () => {
    expect([...attackNames()].sort()).toEqual([...ATTACK_NAMES].sort());
    for (const name of ATTACK_NAMES) expect(ATTACKS[name].name).toBe(name);
  });

  it('gives each attack the kind the catalogue declares', () => {
    for (const name of ATTACK_NAMES) expect(ATTACKS[name].kind, name).toBe(ATTACK_CATALOGUE[name].kind);
  });

  it('accepts the standard ensemble settings as they are', () => {
    for (const spec of STANDARD_ATTACKS) {
      const attack = getAttack(spec.attack);
      const described = attack.describe(attack.resolve({ eps: 0.3, ...spec.config }));
      expect(described, spec.attack).toMatchObject(spec.config);
    }
  });

  it('rejects a name outside the catalogue with ATTACK_UNKNOWN', () => {
    expect(() => getAttack('fab-tt')).toThrow(expect.objectContaining({ code: 'ATTACK_UNKNOWN' }));
    expect(() => getAttack('toString')).toThrow(expect.objectContaining({ code: 'ATTACK_UNKNOWN' }));
  });
});
