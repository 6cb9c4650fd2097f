import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Dispatch } from '../../shared/dispatch';
import { AppError, type ErrorShape } from '../../shared/errors';
import { createLogger } from '../core/log';

// Browser mode: the contract over HTTP on loopback. Anything on this machine can reach a loopback
// port, and a web page can make the browser send requests to it, so every call needs the per-launch
// token, and Host/Origin must name this server (which stops DNS-rebinding pages).

const log = createLogger('http');
const MAX_BODY_BYTES = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface HttpDoor {
  port: number;
  token: string;
  /** The address to open, token in the fragment so it never reaches a server log or Referer. */
  url: string;
  close(): Promise<void>;
}

export interface HttpDoorOptions {
  dispatch: Dispatch;
  staticDir: string;
  port?: number;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function refuse(res: http.ServerResponse, status: number, error: ErrorShape): void {
  send(res, status, { ok: false, error });
}

function tokenMatches(expected: Buffer, header: string | undefined): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A path's percent-decoding, or null when it is malformed (a bare %, or bytes that are not UTF-8). */
function decodePath(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function badEncoding(res: http.ServerResponse): void {
  refuse(res, 400, { code: 'USAGE', message: 'The address has malformed percent-encoding (a % not followed by two hex digits of UTF-8).' });
}

function serveStatic(staticDir: string, urlPath: string, res: http.ServerResponse): void {
  const decoded = decodePath(urlPath);
  if (decoded === null) return badEncoding(res);
  const relative = urlPath === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(staticDir, relative);
  // Only files inside the built UI, never a path that climbs out of it.
  if (!file.startsWith(staticDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return refuse(res, 404, { code: 'UNKNOWN_OPERATION', message: 'Not found.' });
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

export async function startHttpDoor(options: HttpDoorOptions): Promise<HttpDoor> {
  const staticDir = path.resolve(options.staticDir);
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new AppError('USAGE', `Browser mode needs the built UI in ${staticDir}: run \`npm run build\` first.`);
  }
  const token = randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token);
  let allowedHosts = new Set<string>();

  const server = http.createServer((req, res) => {
    void (async () => {
      const host = req.headers.host ?? '';
      if (!allowedHosts.has(host)) {
        return refuse(res, 403, { code: 'FORBIDDEN', message: 'This server only answers requests addressed to 127.0.0.1 or localhost.' });
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
        return refuse(res, 403, { code: 'FORBIDDEN', message: 'Requests from other origins are refused.' });
      }
      const url = new URL(req.url ?? '/', `http://${host}`);
      if (!url.pathname.startsWith('/api/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, { code: 'USAGE', message: 'Use GET for pages.' });
        return serveStatic(staticDir, url.pathname, res);
      }
      if (!tokenMatches(expectedToken, req.headers.authorization)) {
        return refuse(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong access token: open the address `dsr-desk serve` printed.' });
      }
      if (req.method !== 'POST') return refuse(res, 405, { code: 'USAGE', message: 'Call operations with POST.' });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return refuse(res, 415, { code: 'USAGE', message: 'Send the operation input as application/json.' });
      }
      const body = await readBody(req);
      if (body === null) return refuse(res, 413, { code: 'INVALID_INPUT', message: 'Request body is larger than 1 MiB.' });
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return refuse(res, 400, { code: 'INVALID_INPUT', message: 'Request body is not valid JSON.' });
      }
      const operation = decodePath(url.pathname.slice('/api/'.length));
      if (operation === null) return badEncoding(res);
      send(res, 200, await options.dispatch(operation, input));
    })().catch((error: unknown) => {
      log.error('request failed', { error });
      if (!res.headersSent) refuse(res, 500, { code: 'INTERNAL', message: 'The request failed unexpectedly; the log has details.' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  log.info('browser mode listening', { port });

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
