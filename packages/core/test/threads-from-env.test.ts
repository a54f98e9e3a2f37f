// `verifyInWorkersFromEnv`: COGNITO_VERIFY_THREADS read as the README's table says, for any value
// (a property over generated values against that table), and every wrong value, or a worker file
// that is not there, refused naming its variable. No worker starts: `verifyInWorkers` starts them
// only for a guard.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '../src';
import { verifyInWorkersFromEnv } from '../src/subpaths/offload';

// The build's worker: the source tree has none beside the offload module.
const COGNITO_VERIFY_WORKER_FILE = join(__dirname, '../dist/verify-worker.cjs');

// What the README's table says a value means: a thread count, no workers, or a refusal.
function expected(value: string): number | 'none' | 'refused' {
  const trimmed = value.trim();
  if (trimmed === '') return 'none';
  if (trimmed === 'auto') return Math.max(1, availableParallelism() - 1);
  const threads = Number(trimmed);
  return /^\d+$/.test(trimmed) && threads >= 1 && threads <= 256 ? threads : 'refused';
}

function read(value: string): number | 'none' | 'refused' {
  // The worker file goes with the threads; alone, it is refused (the last test).
  const workerFile = value.trim() === '' ? {} : { COGNITO_VERIFY_WORKER_FILE };
  try {
    const offload = verifyInWorkersFromEnv({ COGNITO_VERIFY_THREADS: value, ...workerFile });
    return offload === undefined ? 'none' : offload.threads;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      {
        field: 'COGNITO_VERIFY_THREADS',
        message: `must be a whole number from 1 to 256, or auto, got "${value.trim()}"`,
      },
    ]);
    return 'refused';
  }
}

describe('verifyInWorkersFromEnv', () => {
  it('reads every value as the table says', () => {
    const spelled = fc.constantFrom(
      ...['', '  ', 'auto', ' auto ', 'AUTO', '0', '1', ' 3 ', '256', '257', '007', '0001'],
      ...['1.5', '-1', '+2', '1e2', '0x10', '２', '3 4', 'Infinity', '99999999999999999999'],
    );
    const numbers = fc.integer({ min: -3, max: 300 }).map(String);
    fc.assert(
      fc.property(fc.oneof(spelled, numbers, fc.string()), (value) => {
        expect(read(value)).toBe(expected(value));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a worker file as it reads every variable, without the spaces around it', () => {
    const offload = verifyInWorkersFromEnv({
      COGNITO_VERIFY_THREADS: '1',
      COGNITO_VERIFY_WORKER_FILE: ` ${COGNITO_VERIFY_WORKER_FILE}\n`,
    });
    expect(offload?.threads).toBe(1);
  });

  it('starts no workers when the variable is unset', () => {
    expect(verifyInWorkersFromEnv({})).toBeUndefined();
  });

  it('refuses a worker file that is not there, or one given without threads, naming it', () => {
    expect(() =>
      verifyInWorkersFromEnv({
        COGNITO_VERIFY_THREADS: '2',
        COGNITO_VERIFY_WORKER_FILE: '/nowhere/verify-worker.cjs',
      }),
    ).toThrow(
      'Invalid environment: COGNITO_VERIFY_WORKER_FILE: /nowhere/verify-worker.cjs does not exist',
    );
    expect(() => verifyInWorkersFromEnv({ COGNITO_VERIFY_WORKER_FILE })).toThrow(
      'Invalid environment: COGNITO_VERIFY_WORKER_FILE: is read only with COGNITO_VERIFY_THREADS',
    );
  });
});
