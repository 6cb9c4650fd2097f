import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, redact, registerSecret, setLogLevel, setLogSink } from '../electron/core/log';
import { keytarBackend, Secrets } from '../electron/core/secrets';
import { CLI, runCli, tempDataDir } from './helpers';

const EMAIL = 'Canary.Subject+dsr@Example.ORG';
const SECRET = 'zoom-client-secret-7Hq2Lx9Pv4';

afterEach(() => {
  setLogSink((line) => process.stderr.write(line + '\n'));
  setLogLevel('warn');
});

describe('log redaction', () => {
  it('cuts emails, bearer and basic credentials, long hex keys and registered secrets out of every line', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    setLogLevel('debug');
    registerSecret(SECRET);
    const log = createLogger('test');
    const key = 'ab12'.repeat(16);
    log.info(`calling with ${SECRET}`, { to: EMAIL, headers: { authorization: 'Bearer eyJhbGciOi.payload.sig' } });
    log.error('failed', { error: new Error(`subject ${EMAIL} key ${key} basic Basic Y2xpZW50OnNlY3JldA==`) });
    log.debug('token in a query', { url: 'https://example.invalid/x?access_token=abc123def456' });
    const all = lines.join('\n');
    expect(lines).toHaveLength(3);
    for (const leaked of [SECRET, EMAIL, EMAIL.toLowerCase(), key, 'eyJhbGciOi.payload.sig', 'Y2xpZW50OnNlY3JldA==', 'abc123def456']) {
      expect(all).not.toContain(leaked);
    }
    expect(all).toContain('[email]');
    expect(all).toContain('[secret]');
    expect(redact('nothing personal here')).toBe('nothing personal here');
  });

  it('a CLI flow at debug level with a known secret and email writes neither to any log output', async () => {
    const dataDir = tempDataDir();
    const env = { ...process.env, DSR_DESK_LOG: 'debug' };
    const runs = [
      runCli(['--verbose', '--data-dir', dataDir, 'status'], { env }),
      runCli(['--verbose', '--data-dir', dataDir, 'settings', 'set', '--dpo-email', EMAIL, '--organisation-name', SECRET], { env }),
      runCli(['--verbose', '--data-dir', dataDir, 'settings', 'set', '--dpo-email', `not-an-email ${SECRET}`], { env }),
      runCli(['--verbose', '--data-dir', dataDir, 'settings', 'set', '--zoom-plan', EMAIL], { env }),
    ];
    await new Secrets(keytarBackend(), dataDir).setZoomCredentials({
      account_id: 'a',
      client_id: 'c',
      client_secret: SECRET,
      api_url: 'http://127.0.0.1:1/v2',
      oauth_url: 'http://127.0.0.1:1',
    });
    const key = (await new Secrets(keytarBackend(), dataDir).getDatabaseKey())!;

    // Browser mode too: a served call that carries the email.
    const serve = spawn(process.execPath, [CLI, '--verbose', '--json', '--data-dir', dataDir, 'serve'], { env });
    let serveErr = '';
    serve.stderr.on('data', (d) => (serveErr += d));
    const url = await new Promise<string>((resolve) => serve.stdout.once('data', (d) => resolve(JSON.parse(String(d)).url)));
    const { origin } = new URL(url);
    const token = url.split('#token=')[1]!;
    await fetch(`${origin}/api/updateSettings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ dpo_email: EMAIL }),
    });
    await fetch(`${origin}/api/updateSettings`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}` }, body: '{}' });
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.once('exit', resolve));

    expect(runs[0]!.code).toBe(0);
    expect(runs[1]!.code).toBe(0);
    expect(runs[2]!.code).toBe(2);
    expect(runs[3]!.code).toBe(2);
    const logs = runs.map((r) => r.stderr).join('\n') + serveErr;
    expect(logs).toContain('"subsystem":"store"'); // the logger really ran at debug level
    for (const leaked of [EMAIL, EMAIL.toLowerCase(), SECRET, key, token]) expect(logs).not.toContain(leaked);
  });
});
