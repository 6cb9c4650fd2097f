import { AppError } from '../../../shared/errors';
import { isSecureOrLoopback } from '../../../shared/urls';

/**
 * Zoom base URLs come from the user: https (or wss for the event socket) anywhere, plain http (ws)
 * only to this machine (the sandbox), so credentials and personal data never cross a network unencrypted.
 */
export function checkBaseUrl(flag: string, value: string, [secure, plain]: [string, string] = ['https:', 'http:']): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('INVALID_INPUT', `${flag} must be a URL such as ${secure === 'https:' ? 'https://api.zoom.us/v2' : 'wss://ws.zoom.us/ws'}; got something that is not a URL.`);
  }
  if (isSecureOrLoopback(value, secure, plain)) return url.toString().replace(/\/+$/, '');
  throw new AppError('INVALID_INPUT', `${flag} must use ${secure.slice(0, -1)} (plain ${plain.slice(0, -1)} is accepted only for 127.0.0.1, localhost or [::1]); got ${url.protocol}//${url.host}.`);
}
