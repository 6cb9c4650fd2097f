import { AppError, isErrorCode } from './errors';
import { describeIssues, isOperationName, operations, type OperationName } from './contract';
import { fail, ok, type Result } from './result';

/**
 * The single parse-then-call path every door uses. Unknown names and malformed input are refused
 * before the core runs; the core's own AppErrors keep their code; anything else becomes INTERNAL
 * with a generic message so no internal detail (or data inside it) crosses the boundary.
 */
export async function callOperation(service: OperationHandlers, name: unknown, rawInput: unknown, onUnexpected: (operation: string, error: unknown) => void): Promise<Result<unknown>> {
  if (!isOperationName(name)) {
    return fail({ code: 'UNKNOWN_OPERATION', message: `There is no operation named "${String(name).slice(0, 60)}".` });
  }
  const parsed = operations[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return fail({ code: 'INVALID_INPUT', message: `Invalid input for ${name}: ${describeIssues(parsed.error)}.` });
  }
  try {
    const run = service[name] as (input: unknown) => Promise<unknown>;
    return ok(await run.call(service, parsed.data));
  } catch (error) {
    if (error instanceof AppError && isErrorCode(error.code)) return fail(error);
    onUnexpected(name, error);
    return fail({ code: 'INTERNAL', message: `${name} failed unexpectedly; the log has details. Please report it.` });
  }
}

/** Anything that handles every operation (the core's service, or the desk that forwards to one); input arrives parsed. */
export type OperationHandlers = Record<OperationName, (input: never) => Promise<unknown>>;

export type Dispatch = (name: OperationName | string, rawInput: unknown) => Promise<Result<unknown>>;
