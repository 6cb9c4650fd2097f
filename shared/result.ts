import { errorShapeOf, type ErrorShape } from './errors';

/** What crosses every process boundary: never a thrown error, always one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ErrorShape): Result<T> {
  return { ok: false, error: errorShapeOf(error) };
}
