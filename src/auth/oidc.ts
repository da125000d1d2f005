// Sign-in through an OpenID Connect provider (authorisation code flow with PKCE, state and nonce): the provider
// says who the person is; a configured claim (default `preferred_username`) names the Pejling user they act as.
import * as client from 'openid-client';
import { UserError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import { principalOf } from './accounts.js';
import type { Principal } from './principal.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back; default `<this server>/api/session/oidc/callback`. */
  redirectUri?: string;
  /** The ID-token claim whose value is the Pejling user name (default `preferred_username`). */
  userClaim?: string;
}

export const OIDC_CALLBACK_PATH = '/api/session/oidc/callback';
const PENDING_MINUTES = 10;

/** The OpenID Connect settings from PEJLING_OIDC_* variables, or undefined when no issuer is set. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = env.PEJLING_OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = env.PEJLING_OIDC_CLIENT_ID;
  const clientSecret = env.PEJLING_OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret)
    throw new UserError('PEJLING_OIDC_ISSUER is set, but PEJLING_OIDC_CLIENT_ID or PEJLING_OIDC_CLIENT_SECRET is not', {
      hint: 'Set all three (see docs/security.md), or unset PEJLING_OIDC_ISSUER.',
    });
  return {
    issuer,
    clientId,
    clientSecret,
    ...(env.PEJLING_OIDC_REDIRECT_URI ? { redirectUri: env.PEJLING_OIDC_REDIRECT_URI } : {}),
    ...(env.PEJLING_OIDC_USER_CLAIM ? { userClaim: env.PEJLING_OIDC_USER_CLAIM } : {}),
  };
}

interface Pending {
  verifier: string;
  nonce: string;
  redirectUri: string;
  created: number;
}

/** One provider's sign-in: the provider's metadata is fetched on first use, so Pejling can start before it. */
export class OidcSignIn {
  private config: Promise<client.Configuration> | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(readonly settings: OidcSettings) {}

  /** The provider URL to send the browser to, and the state that the callback must bring back. */
  async start(defaultRedirectUri: string): Promise<{ url: string; state: string }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirectUri = this.settings.redirectUri ?? defaultRedirectUri;
    this.forgetOld();
    this.pending.set(state, { verifier, nonce, redirectUri, created: Date.now() });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Completes the sign-in from the callback's query string; returns the Pejling principal, or throws a UserError
   * (403) naming why (unknown state, provider error, no such user, disabled user).
   */
  async finish(store: Store, query: URLSearchParams, expectedState: string | undefined): Promise<Principal> {
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (
      !pending ||
      !expectedState ||
      state !== expectedState ||
      Date.now() - pending.created > PENDING_MINUTES * 60_000
    )
      throw new UserError('The sign-in was not started from this browser, or took too long', { status: 403 });
    const config = await this.configuration();
    const callback = new URL(pending.redirectUri);
    callback.search = query.toString();
    const claim = this.settings.userClaim ?? 'preferred_username';
    let name: unknown;
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      name = claims?.[claim];
      // Providers may keep profile claims out of the ID token and answer them at the userinfo endpoint.
      if (name === undefined && claims?.sub)
        name = (await client.fetchUserInfo(config, tokens.access_token, claims.sub))[claim];
    } catch (error) {
      throw new UserError(`The identity provider did not confirm the sign-in: ${(error as Error).message}`, {
        status: 403,
      });
    }
    if (typeof name !== 'string' || !name)
      throw new UserError(`The identity token has no '${claim}' claim to name the Pejling user`, { status: 403 });
    const user = await store.accounts.getUser(name);
    if (!user || user.disabled)
      throw new UserError(`'${name}' is not an active Pejling user`, {
        status: 403,
        hint: 'An admin adds the user with `pejling users add` (no password needed).',
      });
    return principalOf(user, 'oidc');
  }

  private configuration(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain HTTP only for a provider on this machine (development and tests); anything else must be HTTPS.
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    this.config ??= client
      .discovery(
        issuer,
        this.settings.clientId,
        undefined,
        client.ClientSecretPost(this.settings.clientSecret),
        local && issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.config = undefined;
        throw new UserError(`The identity provider ${issuer.href} cannot be reached: ${(error as Error).message}`, {
          status: 502,
        });
      });
    return this.config;
  }

  private forgetOld(): void {
    const limit = Date.now() - PENDING_MINUTES * 60_000;
    for (const [state, p] of this.pending) if (p.created < limit) this.pending.delete(state);
  }
}
