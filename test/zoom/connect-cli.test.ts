import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { CLI, runCli, tempDataDir } from '../helpers';

// As a new user would: `dsr-desk sandbox` in one terminal, `dsr-desk connect` in another.

interface SandboxDetails {
  api_url: string;
  oauth_url: string;
  account_id: string;
  client_id: string;
  client_secret: string;
  ws_url: string;
  event_subscription_id: string;
}

let sandboxProcess: ChildProcess;
let details: SandboxDetails;

beforeAll(async () => {
  sandboxProcess = spawn(process.execPath, [CLI, '--json', 'sandbox', '--port', '0', '--seed', 'demo']);
  details = await new Promise<SandboxDetails>((resolve, reject) => {
    sandboxProcess.stdout!.once('data', (data) => resolve(JSON.parse(String(data))));
    sandboxProcess.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
});
afterAll(() => {
  sandboxProcess.kill('SIGTERM');
});

const debugEnv = { ...process.env, DSR_DESK_LOG: 'debug' };

function connectArgs(dataDir: string) {
  return [
    '--verbose',
    '--json',
    '--data-dir',
    dataDir,
    'connect',
    '--account-id',
    details.account_id,
    '--client-id',
    details.client_id,
    '--client-secret-stdin',
    '--api-url',
    details.api_url,
    '--oauth-url',
    details.oauth_url,
  ];
}

describe('dsr-desk sandbox and connect', () => {
  it('prints the sandbox connection details as the CLI contract says', () => {
    expect(details).toEqual({
      api_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v2$/),
      oauth_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      account_id: 'sandbox-account',
      client_id: 'sandbox-client-id',
      client_secret: expect.any(String),
      ws_url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/),
      event_subscription_id: 'sandbox-event-subscription',
    });
  });

  it('connects with the printed credentials, secret on stdin, and keeps them only in the keychain', async () => {
    const dataDir = tempDataDir();
    const run = runCli(connectArgs(dataDir), { input: `${details.client_secret}\n`, env: debugEnv });
    expect(run.code).toBe(0);
    expect(run.json).toEqual({ connected: true, name: 'default', account_id: 'sandbox-account', api_url: details.api_url, event_subscription_id: null, ws_url: null });
    expect(await new Secrets(keytarBackend(), dataDir).getZoomCredentials()).toMatchObject({ client_secret: details.client_secret });
    expect(run.stderr).toContain('"subsystem":"zoom"');
    expect(run.stderr).not.toContain(details.client_secret);
    expect(run.stderr).not.toMatch(/sbx\.[A-Za-z0-9_-]{20,}/); // no access token
    const status = runCli(['--json', '--data-dir', dataDir, 'status']);
    expect(status.code).toBe(0);
  });

  it('refuses a wrong secret with a clear message and stores nothing', async () => {
    const dataDir = tempDataDir();
    const run = runCli(connectArgs(dataDir), { input: 'not-the-secret\n', env: debugEnv });
    expect(run.code).toBe(1);
    const error = (run.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('ZOOM_AUTH_FAILED');
    expect(error.message).toMatch(/HTTP 401.*invalid_client.*check the account ID, client ID and client secret/);
    expect(error.message).not.toContain('not-the-secret');
    expect(run.stderr).not.toContain('not-the-secret');
    expect(await new Secrets(keytarBackend(), dataDir).getZoomCredentials()).toBeNull();
  });

  it('keeps earlier credentials when a later connect fails', async () => {
    const dataDir = tempDataDir();
    expect(runCli(connectArgs(dataDir), { input: details.client_secret }).code).toBe(0);
    expect(runCli(connectArgs(dataDir), { input: 'wrong' }).code).toBe(1);
    expect(await new Secrets(keytarBackend(), dataDir).getZoomCredentials()).toMatchObject({ client_secret: details.client_secret });
  });

  it('refuses an app that lacks scopes, naming each missing one (granular or classic), and stores nothing', async () => {
    const setScopes = (scope: string) => fetch(`${details.oauth_url}/_sandbox/scopes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scope }) });
    const dataDir = tempDataDir();
    try {
      // Granular scopes that cover everything but deleting registrants and the Q&A report.
      await setScopes(
        'user:read:admin webinar:read:list_webinars:admin webinar:read:list_registrants:admin webinar:read:registrant:admin webinar:update:registrant_status:admin ' +
          'webinar:read:list_absentees:admin webinar:read:list_panelists:admin report:read:list_webinar_participants:admin report:read:list_webinar_polls:admin report:read:webinar_survey:admin',
      );
      const run = runCli(connectArgs(dataDir), { input: details.client_secret });
      expect(run.code).toBe(1);
      const error = (run.json as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('ZOOM_MISSING_SCOPES');
      expect(error.message).toContain('lacks 2 scopes');
      expect(error.message).toContain('webinar:delete:registrant:admin (or classic webinar:write:admin) to delete a registration');
      expect(error.message).toContain('report:read:webinar_qna:admin (or classic report:read:admin) to read Q&A reports');
      expect(await new Secrets(keytarBackend(), dataDir).getZoomCredentials()).toBeNull();
      // Classic scopes: webinar read and write without the report scope.
      await setScopes('webinar:read:admin webinar:write:admin');
      const classic = runCli(connectArgs(dataDir), { input: details.client_secret });
      expect((classic.json as { error: { message: string } }).error.message).toMatch(/lacks 4 scopes.*report:read:list_webinar_participants:admin \(or classic report:read:admin\)/);
    } finally {
      await setScopes('user:read:admin webinar:read:admin webinar:write:admin report:read:admin');
    }
    expect(runCli(connectArgs(dataDir), { input: details.client_secret }).code).toBe(0);
  });

  it('connect --sandbox finds a running sandbox by port', () => {
    const port = new URL(details.oauth_url).port;
    const run = runCli(['--json', '--data-dir', tempDataDir(), 'connect', '--sandbox', '--sandbox-port', port]);
    expect(run.json).toEqual({
      connected: true,
      name: 'default',
      account_id: 'sandbox-account',
      api_url: details.api_url,
      event_subscription_id: 'sandbox-event-subscription',
      ws_url: details.ws_url,
    });
  });

  it('keeps an event subscription with --event-subscription-id (wss, or ws only on loopback), and refuses a bad one before anything is stored', async () => {
    const dataDir = tempDataDir();
    const withSubscription = (...extra: string[]) => runCli([...connectArgs(dataDir), ...extra], { input: details.client_secret });
    const plain = withSubscription('--event-subscription-id', 'sub-1', '--ws-url', 'ws://ws.zoom.us/ws');
    expect(plain.code).toBe(2);
    expect(plain.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('--ws-url must use wss (plain ws is accepted only for 127.0.0.1') } });
    const alone = withSubscription('--ws-url', 'wss://ws.example.org/ws');
    expect(alone.json).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--ws-url goes with --event-subscription-id') } });
    expect(await new Secrets(keytarBackend(), dataDir).getZoomCredentials()).toBeNull();

    const zoomDefault = withSubscription('--event-subscription-id', 'sub-1');
    expect(zoomDefault.json).toMatchObject({ connected: true, event_subscription_id: 'sub-1', ws_url: 'wss://ws.zoom.us/ws' });
    const local = withSubscription('--event-subscription-id', 'sub-2', '--ws-url', details.ws_url);
    expect(local.json).toMatchObject({ event_subscription_id: 'sub-2', ws_url: details.ws_url });
    // Connecting again without one leaves it as it was.
    expect(runCli(connectArgs(dataDir), { input: details.client_secret }).json).toMatchObject({ event_subscription_id: 'sub-2', ws_url: details.ws_url });
    const settings = runCli(['--json', '--data-dir', dataDir, 'settings', 'show']);
    expect(settings.json).toMatchObject({ event_subscription_id: 'sub-2', ws_url: details.ws_url });
  });

  it('refuses plain http to a non-loopback host, and a secret given any way but stdin', () => {
    const dataDir = tempDataDir();
    const http = runCli(['--json', '--data-dir', dataDir, 'connect', '--account-id', 'a', '--client-id', 'b', '--client-secret-stdin', '--api-url', 'http://api.zoom.us/v2'], { input: 's3cret\n' });
    expect(http.code).toBe(2);
    expect(http.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('must use https') } });
    const noStdin = runCli(['--json', '--data-dir', dataDir, 'connect', '--account-id', 'a', '--client-id', 'b']);
    expect(noStdin.code).toBe(2);
    expect(noStdin.json).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--client-secret-stdin') } });
  });
});
