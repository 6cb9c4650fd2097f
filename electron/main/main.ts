import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, net, protocol, session, utilityProcess } from 'electron';
import { builtRendererDir, defaultDataDir } from '../core/paths';
import { createCoreClient } from './core-client';
import { APP_HOST, APP_SCHEME, APP_URL, registerContract } from './ipc';

// The Electron shell: a hardened window, the contract on ipcMain, and the core in a utility
// process. Kept thin on purpose: it can't be run on every machine, so the logic lives elsewhere.

const RENDERER_DIR = builtRendererDir();
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

function serveRenderer(): void {
  // app:// instead of file://: a real origin for CSP, and no access to the rest of the disk.
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = path.resolve(RENDERER_DIR, `.${decodeURIComponent(url.pathname)}`);
    if (url.host !== APP_HOST || !file.startsWith(RENDERER_DIR + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'DSR Desk',
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
}

void app.whenReady().then(() => {
  harden();
  serveRenderer();
  const core = utilityProcess.fork(path.join(__dirname, 'core-process.js'), [defaultDataDir()], { serviceName: 'DSR Desk core' });
  registerContract(ipcMain, createCoreClient(core));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
