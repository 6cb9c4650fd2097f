import { afterAll } from 'vitest';
import { startZoomSandbox, type SandboxOptions, type ZoomSandbox } from '../../electron/core/sandbox/server';
import { ZoomClient, type ZoomClientOptions } from '../../electron/core/zoom/client';

const running: ZoomSandbox[] = [];
afterAll(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

export async function sandbox(options: SandboxOptions = {}): Promise<ZoomSandbox> {
  const started = await startZoomSandbox({ seed: 'empty', ...options });
  running.push(started);
  return started;
}

/** Calls a /_sandbox/ control endpoint. */
export async function control<T = Record<string, unknown>>(box: ZoomSandbox, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${box.oauthUrl}/_sandbox/${path}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as T;
}

export function clientFor(box: ZoomSandbox, options: Partial<ZoomClientOptions> = {}): ZoomClient {
  return new ZoomClient({
    credentials: { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl },
    plan: 'pro',
    backoffBaseMs: 20,
    ...options,
  });
}

/** A raw Zoom API call with a fresh token, for testing the sandbox itself. */
export async function rawApi(box: ZoomSandbox, method: string, path: string, body?: unknown, token?: string) {
  const bearer = token ?? (await getToken(box));
  const response = await fetch(`${box.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function getToken(box: ZoomSandbox, secret = box.credentials.client_secret): Promise<string> {
  const response = await fetch(`${box.oauthUrl}/oauth/token?grant_type=account_credentials&account_id=${box.credentials.account_id}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${box.credentials.client_id}:${secret}`).toString('base64')}` },
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token refused: ${response.status}`);
  return body.access_token;
}

export async function collect<T>(pages: AsyncGenerator<{ items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page.items);
  return out;
}
