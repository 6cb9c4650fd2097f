// URL exists in every process this module runs in (Node, Chromium, Electron) but in no ES lib,
// and shared/ sees no Node or DOM types: declared here as far as it is used.
declare const URL: new (value: string) => { protocol: string; hostname: string };

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Addresses of Zoom that come from the user: the secure protocol anywhere, the plain one only to
 * this machine (the sandbox), so credentials and personal data never cross a network unencrypted.
 */
export function isSecureOrLoopback(value: string, secure: string, plain: string): boolean {
  let url: { protocol: string; hostname: string };
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === secure || (url.protocol === plain && LOOPBACK_HOST.test(url.hostname));
}
