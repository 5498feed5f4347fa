import { expect, test } from 'vitest';
import { TemperClientError } from '../sdk/errors.ts';
import { cliShapedHints, describeFailure, ExitCode } from './exit-codes.ts';

test("the server's API-shaped hints become the CLI's options", () => {
  expect(cliShapedHints('Method RRM distills from a teacher: pass input.teacher.')).toBe('Method RRM distills from a teacher: pass --teacher.');
  expect(cliShapedHints('input.student and input.evaluation.eps disagree; set input.batchSize')).toBe('--model and --eval-eps disagree; set --batch-size');
  expect(cliShapedHints('no input here, nor an input. field')).toBe('no input here, nor an input. field');
});

test('only refusals are rewritten: a server error keeps its words', () => {
  const refused = describeFailure(new TemperClientError('rejected', 'TEACHER_REQUIRED', 'Method RRM distills from a teacher: pass input.teacher.'));
  expect(refused).toEqual({ exitCode: ExitCode.REJECTED, message: 'TEACHER_REQUIRED: Method RRM distills from a teacher: pass --teacher.' });
  expect(describeFailure(new TemperClientError('server', 'INTERNAL', 'input.teacher broke')).message).toBe('INTERNAL: input.teacher broke');
});
