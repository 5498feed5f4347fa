import { describe, expect, it } from 'vitest';
import { ATTACK_NAMES, isAttackName, STANDARD_ATTACK_NAMES } from './attacks.ts';
import { isTerminalJobStatus, JOB_STATUS_NAMES, TERMINAL_JOB_STATUSES } from './job-statuses.ts';
import { COMMON_METHOD_PARAMS, HARDENING_METHOD_KEYS, HARDENING_METHOD_NAMES, HARDENING_METHODS, hardeningMethodByName, isHardeningMethodName, methodNeedsTeacher } from './methods.ts';

describe('catalogues', () => {
  it('spells every method key as its name in upper snake case (the CLI accepts either)', () => {
    for (const key of HARDENING_METHOD_KEYS) expect(HARDENING_METHODS[key].value.toUpperCase().replace(/-/g, '_')).toBe(key);
    expect(new Set(HARDENING_METHOD_NAMES).size).toBe(HARDENING_METHOD_KEYS.length);
  });

  it('looks methods up by name only', () => {
    expect(hardeningMethodByName('pgd-at')?.key).toBe('PGD_AT');
    expect(isHardeningMethodName('PGD_AT')).toBe(false);
    expect(isHardeningMethodName('toString')).toBe(false);
    expect(HARDENING_METHOD_NAMES.filter(methodNeedsTeacher)).toEqual(['kd', 'ard', 'rslad', 'rrm', 'igam']);
  });

  it('declares distinct method params, none of them a common one', () => {
    for (const key of HARDENING_METHOD_KEYS) {
      const own: readonly string[] = HARDENING_METHODS[key].params;
      expect(new Set(own).size, key).toBe(own.length);
      expect(own.filter((p) => (COMMON_METHOD_PARAMS as readonly string[]).includes(p)), key).toEqual([]);
    }
  });

  it('ends a job in SUCCEEDED, FAILED or CANCELLED only', () => {
    expect([...TERMINAL_JOB_STATUSES]).toEqual(['SUCCEEDED', 'FAILED', 'CANCELLED']);
    expect(JOB_STATUS_NAMES.filter(isTerminalJobStatus)).toEqual(TERMINAL_JOB_STATUSES);
    expect(isTerminalJobStatus('RUNNING')).toBe(false);
    expect(isTerminalJobStatus('hasOwnProperty')).toBe(false);
  });

  it('builds the standard ensemble from catalogue attacks', () => {
    expect([...STANDARD_ATTACK_NAMES]).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square']);
    for (const name of STANDARD_ATTACK_NAMES) expect(ATTACK_NAMES).toContain(name);
    expect(isAttackName('fab-t')).toBe(true);
    expect(isAttackName('hasOwnProperty')).toBe(false);
  });
});
