import type { ErrorShape } from '../../shared/errors';
import { cliErrorOf } from './hints';

/** Exit codes of cli-contract.md: 0 done, 1 the operation failed, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Output {
  json: boolean;
  /** The command's result: one JSON document with --json, readable lines otherwise. */
  result(value: unknown, lines: () => string[]): void;
  /** Progress and notes: stderr in JSON mode so stdout stays one document. */
  note(line: string): void;
  failure(error: ErrorShape): number;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, lines) {
      process.stdout.write(json ? JSON.stringify(value) + '\n' : lines().join('\n') + '\n');
    },
    note(line) {
      (json ? process.stderr : process.stdout).write(line + '\n');
    },
    failure(refusal) {
      const error = cliErrorOf(refusal);
      if (json) process.stdout.write(JSON.stringify({ error }) + '\n');
      else process.stderr.write(`dsr-desk: ${error.message} [${error.code}]\n`);
      return error.code === 'INVALID_INPUT' || error.code === 'USAGE' || error.code === 'OUTPUT_EXISTS' ? EXIT_USAGE : EXIT_FAILED;
    },
  };
}
