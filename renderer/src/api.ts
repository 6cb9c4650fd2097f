import { OPERATION_NAMES, type ContractClient, type OperationName } from '../../shared/contract';
import type { Result } from '../../shared/result';

// The renderer's only way out: the contract, over IPC in Electron (window.dsrDesk from the
// preload) or over loopback HTTP in browser mode. It never fetches anything else.

declare global {
  interface Window {
    dsrDesk?: ContractClient;
  }
}

const TOKEN_KEY = 'dsr-desk-token';

/** The token arrives in the URL fragment once; it is kept for this tab only and wiped from the address bar. */
function takeToken(): string | null {
  const match = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpClient(token: string | null): ContractClient {
  const call = async (operation: OperationName, input: unknown): Promise<Result<unknown>> => {
    try {
      const response = await fetch(`./api/${operation}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'DSR Desk is not answering: is `dsr-desk serve` still running?' } };
    }
  };
  return Object.fromEntries(OPERATION_NAMES.map((name) => [name, (input: unknown) => call(name, input)])) as ContractClient;
}

export const api: ContractClient = window.dsrDesk ?? httpClient(takeToken());
