import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';
import type { ErrorHint } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { api } from './api';

/** A refusal from the core: its stable code and hint (the window words both) and the core's own detail. */
export class DeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: ErrorHint,
  ) {
    super(message);
  }
}

/** One contract operation; a refusal becomes a DeskError, so screens handle results in one place. */
export async function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
  const run = api[name] as (input: OperationInput<K>) => Promise<Result<OperationOutput<K>>>;
  const result = await run(input);
  if (!result.ok) throw new DeskError(result.error.code, result.error.message, result.error.hint);
  return result.value;
}

export function asDeskError(error: unknown): DeskError {
  return error instanceof DeskError ? error : new DeskError('INTERNAL', error instanceof Error ? error.message : String(error));
}
