import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../shared/contract';

// The Electron binary can't run on every machine, so this loads the real main-process module
// against a recording stand-in for the `electron` module and checks what the shell asks Electron
// to do: the window's web preferences, the navigation and permission guards, the IPC handlers.

const recorded = vi.hoisted(() => ({
  windows: [] as { options: Record<string, any>; url?: string }[],
  handlers: new Map<string, (...args: any[]) => unknown>(),
  appEvents: new Map<string, (...args: any[]) => unknown>(),
  schemes: [] as unknown[],
  sandboxEnabled: false,
  permissionRequest: undefined as undefined | ((...args: any[]) => void),
  permissionCheck: undefined as undefined | ((...args: any[]) => boolean),
  forked: [] as { path: string; args: string[] }[],
  ready: undefined as undefined | Promise<void>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => recorded.windows;
    entry: { options: Record<string, any>; url?: string };
    constructor(options: Record<string, any>) {
      this.entry = { options };
      recorded.windows.push(this.entry);
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      this.entry.url = url;
    }
  }
  const app = {
    enableSandbox: () => (recorded.sandboxEnabled = true),
    whenReady: () => (recorded.ready = Promise.resolve()),
    on: (event: string, listener: (...args: any[]) => unknown) => recorded.appEvents.set(event, listener),
    quit: () => undefined,
  };
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string, handler: (...args: any[]) => unknown) => recorded.handlers.set(channel, handler) },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.schemes.push(...schemes), handle: () => undefined },
    net: { fetch: async () => new Response('') },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: (...args: any[]) => void) => (recorded.permissionRequest = handler),
        setPermissionCheckHandler: (handler: (...args: any[]) => boolean) => (recorded.permissionCheck = handler),
      },
    },
    utilityProcess: {
      fork: (path: string, args: string[]) => {
        recorded.forked.push({ path, args });
        return { on: () => undefined, postMessage: () => undefined };
      },
    },
  };
});

beforeAll(async () => {
  await import('../electron/main/main.js'); // after the stand-in is in place
  await recorded.ready;
  await new Promise((resolve) => setTimeout(resolve, 0));
});

describe('Electron shell (with a stand-in for the Electron binary)', () => {
  it('opens one window on app://, sandboxed, context-isolated, without Node in the page', () => {
    expect(recorded.sandboxEnabled).toBe(true);
    expect(recorded.windows).toHaveLength(1);
    const { options, url } = recorded.windows[0]!;
    expect(url).toBe('app://dsr-desk/index.html');
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(options.webPreferences.preload).toMatch(/preload[\\/]preload\.js$/);
    expect(recorded.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('denies new windows, navigation, webviews and every permission', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = { setWindowOpenHandler: (h: () => unknown) => (openHandler = h), on: (e: string, l: any) => listeners.set(e, l) };
    recorded.appEvents.get('web-contents-created')!({}, contents);
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      listeners.get(event)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    const callback = vi.fn();
    recorded.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('registers one IPC handler per contract operation and runs the core in a utility process', async () => {
    expect([...recorded.handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((name) => `dsr:${name}`).sort());
    expect(recorded.forked).toHaveLength(1);
    expect(recorded.forked[0]!.path).toMatch(/core-process\.(js|ts)$/);
    const refused = await recorded.handlers.get('dsr:getStoreStatus')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
