import { registerSecret } from '../log';
import { ZoomApiError } from './errors';

export interface ZoomCredentialsInput {
  account_id: string;
  client_id: string;
  client_secret: string;
  oauth_url: string;
}

export interface Token {
  value: string;
  expiresAt: number;
}

/** Renew this long before Zoom's expiry, so a token never dies between check and use. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Server-to-Server OAuth (account_credentials grant). One token is reused until shortly before
 * its expires_in; there is no refresh token, a new one is simply requested. Concurrent callers
 * share one request.
 */
export class TokenSource {
  private current: Token | null = null;
  private pending: Promise<Token> | null = null;
  /** The scopes Zoom granted with the last token (its `scope` string, split); null until one came, or when Zoom sent none. */
  scopes: string[] | null = null;

  constructor(
    private readonly credentials: ZoomCredentialsInput,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    registerSecret(credentials.client_secret);
  }

  async get(): Promise<string> {
    return (await this.token()).value;
  }

  /** The current token with its expiry (the event socket renews its connection before then). */
  async token(): Promise<Token> {
    if (this.current && this.now() < this.current.expiresAt - EXPIRY_MARGIN_MS) return this.current;
    this.pending ??= this.request().finally(() => (this.pending = null));
    this.current = await this.pending;
    return this.current;
  }

  /** Forget a token Zoom refused, so the next get() asks for a new one. */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = null;
  }

  private async request(): Promise<Token> {
    const { account_id, client_id, client_secret, oauth_url } = this.credentials;
    const basic = Buffer.from(`${client_id}:${client_secret}`).toString('base64');
    registerSecret(basic);
    let response: Response;
    try {
      response = await this.fetchImpl(`${oauth_url}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'account_credentials', account_id }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ZoomApiError('ZOOM_UNAVAILABLE', {
        httpStatus: null,
        zoomCode: null,
        zoomMessage: `could not reach the OAuth server at ${oauth_url} (${(error as Error).name})`,
        hint: 'Check the OAuth URL and the network, then try again.',
      });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const said = [body.error, body.reason].filter((part) => typeof part === 'string').join(': ') || 'no reason given';
      throw new ZoomApiError(response.status >= 500 ? 'ZOOM_UNAVAILABLE' : 'ZOOM_AUTH_FAILED', {
        httpStatus: response.status,
        zoomCode: typeof body.code === 'number' ? body.code : null,
        zoomMessage: said,
        hint: 'Zoom did not accept the Server-to-Server OAuth credentials: check the account ID, client ID and client secret of the app in the Zoom App Marketplace, and that the app is activated.',
      });
    }
    registerSecret(body.access_token);
    this.scopes = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : null;
    return { value: body.access_token, expiresAt: this.now() + body.expires_in * 1000 };
  }
}
