import type { OperationOutput } from '../../shared/contract';

/** One request as the request page and its widgets show it. */
export type Detail = OperationOutput<'getRequest'>;
