import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createIpcHandler, APP_URL } from '../electron/main/ipc';
import { startHttpDoor, type HttpDoor } from '../electron/cli/http-door';
import { builtRendererDir } from '../electron/core/paths';
import { openCore, type Core } from '../electron/core/service';
import { OPERATION_NAMES } from '../shared/contract';
import { runCli, tempDataDir } from './helpers';

// One malformed payload through each of the three doors must meet the same schema and come back
// with the same error. The IPC handler is called directly with a stand-in for Electron's event
// object: the Electron binary itself can't run on every machine.

const MALFORMED = { zoom_plan: 'gold', request_retention_years: 0 };
const trustedEvent = { senderFrame: { url: APP_URL, parent: null } } as never;

let core: Core | undefined;
let door: HttpDoor | undefined;
afterEach(async () => {
  await door?.close();
  await core?.close();
  door = core = undefined;
});

async function postJson(d: HttpDoor, operation: string, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${d.port}/api/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${d.token}` },
    body: JSON.stringify(body),
  });
  return response.json();
}

describe('one contract, three doors', () => {
  it('a malformed payload gets the same INVALID_INPUT error from IPC, HTTP and the CLI', async () => {
    const dataDir = tempDataDir();
    core = await openCore({ dataDir });
    door = await startHttpDoor({ dispatch: core.dispatch, staticDir: builtRendererDir() });

    const viaIpc = await createIpcHandler(core.dispatch, 'updateSettings')(trustedEvent, MALFORMED);
    const viaHttp = await postJson(door, 'updateSettings', MALFORMED);
    await core.close();
    core = undefined;
    const viaCli = runCli(['--json', '--data-dir', dataDir, 'settings', 'set', '--zoom-plan', 'gold', '--retention-years', '0']);

    expect(viaIpc).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^Invalid input for updateSettings: zoom_plan: .*; request_retention_years: .*\.$/),
      },
    });
    expect(viaHttp).toEqual(viaIpc);
    expect(viaCli.code).toBe(2);
    expect(viaCli.json).toEqual({ error: (viaIpc as { error: unknown }).error });
  });

  it('a well-formed call works the same through each door', async () => {
    const dataDir = tempDataDir();
    core = await openCore({ dataDir });
    door = await startHttpDoor({ dispatch: core.dispatch, staticDir: builtRendererDir() });
    const viaIpc = await createIpcHandler(core.dispatch, 'updateSettings')(trustedEvent, { zoom_plan: 'business' });
    const viaHttp = await postJson(door, 'getSettings', {});
    expect(viaIpc).toMatchObject({ ok: true, value: { zoom_plan: 'business' } });
    expect(viaHttp).toEqual(viaIpc);
    await core.close();
    core = undefined;
    const viaCli = runCli(['--json', '--data-dir', dataDir, 'settings', 'show']);
    expect(viaCli.code).toBe(0);
    expect(viaCli.json).toEqual((viaIpc as { value: unknown }).value);
  });

  it('IPC refuses a sender that is not our own top-level page, and nothing runs', async () => {
    core = await openCore({ dataDir: tempDataDir() });
    const handler = createIpcHandler(core.dispatch, 'updateSettings');
    const strangers = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: APP_URL, parent: {} } }, // an iframe inside our page
      { senderFrame: null },
    ];
    for (const event of strangers) {
      expect(await handler(event as never, { zoom_plan: 'free' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect((await core.service.getSettings({})).zoom_plan).toBe('pro');
  });

  it('the CLI exits 2 with a USAGE error document on an unknown command', () => {
    const run = runCli(['--json', 'frobnicate']);
    expect(run.code).toBe(2);
    expect(run.json).toEqual({ error: { code: 'USAGE', message: "unknown command 'frobnicate'" } });
  });

  it('the preload exposes exactly one function per contract operation', () => {
    const source = fs.readFileSync(require.resolve('../electron/preload/preload.ts'), 'utf8');
    const exposed = [...source.matchAll(/^\s+(\w+): \(input\) => ipcRenderer\.invoke\('dsr:(\w+)', input\),$/gm)];
    expect(exposed.map((m) => m[1]).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const m of exposed) expect(m[2]).toBe(m[1]);
  });
});
