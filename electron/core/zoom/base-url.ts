import { AppError } from '../../../shared/errors';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Zoom base URLs come from the user: https anywhere, plain http only to this machine (the
 * sandbox), so credentials and personal data never cross a network unencrypted.
 */
export function checkBaseUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('INVALID_INPUT', `${flag} must be a URL such as https://api.zoom.us/v2; got something that is not a URL.`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) {
    return url.toString().replace(/\/+$/, '');
  }
  throw new AppError('INVALID_INPUT', `${flag} must use https (plain http is accepted only for 127.0.0.1, localhost or [::1]); got ${url.protocol}//${url.host}.`);
}
