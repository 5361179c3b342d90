/**
 * One OAuth token per API account, reused until shortly before it expires. An account holds at most 30
 * valid tokens and a 31st silently invalidates the oldest, so asking for one per call would break
 * other clients of the same account. Concurrent callers share one request for a new token.
 */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly now: () => number,
    /** Renew this long before the appliance would expire the token. */
    private readonly marginMs = 60_000,
  ) {}

  async get(
    account: string,
    fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>,
  ): Promise<string> {
    const cached = this.tokens.get(account);
    if (cached && cached.expiresAt - this.marginMs > this.now()) return cached.token;
    const inFlight = this.pending.get(account);
    if (inFlight) return inFlight;
    const request = fetchToken()
      .then(({ token, expiresInSeconds }) => {
        this.tokens.set(account, { token, expiresAt: this.now() + expiresInSeconds * 1000 });
        return token;
      })
      .finally(() => this.pending.delete(account));
    this.pending.set(account, request);
    return request;
  }

  /** The appliance refused this token (expired early, secret regenerated): the next call gets a new one. */
  invalidate(account: string, token: string): void {
    if (this.tokens.get(account)?.token === token) this.tokens.delete(account);
  }
}
