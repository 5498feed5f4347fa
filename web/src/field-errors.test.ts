import { fromGraphQLErrors, TemperClientError, unwrapResult } from '@temper/clients';
import { describe, expect, it } from 'vitest';
import { fieldErrors } from './field-errors.ts';

/** Errors as the API sends them (shapes captured from a running server), each landing on its field. */
describe('fieldErrors', () => {
  it('argument validation names its input path', () => {
    const e = fromGraphQLErrors([
      { message: 'Invalid arguments: input.eps: Too big: expected number to be <=1', path: ['hardenModel'], extensions: { code: 'BAD_USER_INPUT', issues: [{ message: 'Too big: expected number to be <=1', path: ['input', 'eps'] }] } },
    ]);
    expect(fieldErrors(e)).toEqual({ eps: 'Too big: expected number to be <=1 (BAD_USER_INPUT)' });
    const list = fromGraphQLErrors([{ message: 'x', extensions: { code: 'BAD_USER_INPUT', issues: [{ message: 'Too big', path: ['input', 'eps', '1'] }, { message: 'Too small', path: ['input', 'sampleSize'] }] } }]);
    expect(Object.keys(fieldErrors(list))).toEqual(['eps', 'sampleSize']);
  });

  it('domain errors go to the field their code or role names, else to the form', () => {
    const domain = (r: object) => {
      try {
        unwrapResult(r as never);
      } catch (e) {
        return fieldErrors(e);
      }
      throw new Error('unwrapResult accepted an error');
    };
    expect(domain({ __typename: 'InvalidRequestError', code: 'TEACHER_REQUIRED', message: 'Method rrm distills from a teacher: pass input.teacher.', details: { method: 'rrm' } })).toEqual({ teacher: 'TEACHER_REQUIRED: Method rrm distills from a teacher: pass input.teacher.' });
    expect(Object.keys(domain({ __typename: 'ModelCompatibilityError', code: 'MODEL_INPUT_SHAPE_MISMATCH', message: 'm', details: { role: 'student' } }))).toEqual(['student']);
    expect(Object.keys(domain({ __typename: 'AttackConfigError', code: 'ATTACK_UNKNOWN', message: 'm', details: { name: 'nope' } }))).toEqual(['attacks']);
    expect(Object.keys(domain({ __typename: 'ModelFormatError', code: 'MODEL_MISSING_SHARD', message: 'm', details: {} }))).toEqual(['files']);
    expect(Object.keys(domain({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'm', details: { typename: 'Dataset', id: 'x' } }))).toEqual(['dataset']);
    expect(Object.keys(domain({ __typename: 'ConflictError', code: 'MODEL_IN_USE', message: 'm', details: {} }))).toEqual(['']);
  });

  it('anything else is the form\'s', () => {
    expect(fieldErrors(new TemperClientError('unreachable', 'UNREACHABLE', 'down'))).toEqual({ '': 'UNREACHABLE: down' });
    expect(fieldErrors(new Error('boom'))).toEqual({ '': 'boom' });
  });
});
