// What the security middleware leaves on every request's context for the routes: id, address, principal, session.
import type { Principal, Session } from '../../auth/index.js';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    /** The client's address (the socket's, or X-Forwarded-For's first hop behind a trusted proxy). */
    address: string;
    principal: Principal | undefined;
    /** Set when the principal signed in through the dashboard (cookie), not with a bearer token. */
    session: Session | undefined;
    /** The session cookie's value, so that signing out can end it. */
    sessionId: string | undefined;
    /** Set when a route has written its own audit entry for this request. */
    audited: boolean | undefined;
  }
}

export interface SecurityOptions {
  /** Reads need a signed-in principal too (`serve --private`, `PEJLING_PRIVATE=1`). */
  private?: boolean;
  /** Other origins allowed to call the API from a browser (exact `https://host[:port]`); none by default. */
  allowedOrigins?: readonly string[];
  /** Trust X-Forwarded-For/-Proto from a reverse proxy in front of Pejling. */
  trustProxy?: boolean;
  /** Receives one access-log line per request (with its request id); nothing is logged without it. */
  log?: (line: string) => void;
}
