// One logger per subsystem with a redaction pass on every line: no email address, token, key or
// registered secret may reach a log, whatever a caller passes in. Redaction runs on the final text,
// so it also covers error messages and nested fields.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

const knownSecrets = new Set<string>();
let sink: LogSink = (line) => process.stderr.write(line + '\n');
let threshold: LogLevel = parseLevel(process.env.DSR_DESK_LOG) ?? 'warn';

function parseLevel(value: string | undefined): LogLevel | undefined {
  return value && value in LEVELS ? (value as LogLevel) : undefined;
}

/** Any value passed here is cut out of every later log line (short values would redact noise). */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

export function setLogSink(next: LogSink): void {
  sink = next;
}

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

const EMAIL = /[A-Z0-9._%+'-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const AUTH_HEADER = /\b(Bearer|Basic)\s+(?!(?:Bearer|Basic)\b)[A-Za-z0-9._~+/=-]+/gi;
const LONG_HEX = /\b[0-9a-f]{32,}\b/gi;
// name=value, name: value and "name":"value" forms; a bare word after "token" in prose is left alone.
const TOKEN_PARAM = /\b(\w*token|\w*secret|password|key)(=|\s*:\s*|"\s*:\s*")[^\s"'&,}]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[secret]');
  return out.replace(AUTH_HEADER, '$1 [token]').replace(TOKEN_PARAM, '$1$2[redacted]').replace(LONG_HEX, '[hex]').replace(EMAIL, '[email]');
}

function describe(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  return value;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(subsystem: string): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[threshold]) return;
    const entry: Record<string, unknown> = { at: new Date().toISOString(), level, subsystem, message };
    for (const [name, value] of Object.entries(fields ?? {})) entry[name] = describe(value);
    sink(redact(JSON.stringify(entry)));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
