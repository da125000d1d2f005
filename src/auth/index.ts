// Public face of accounts, roles, sessions and the audit trail.
export {
  addUser,
  authenticatePassword,
  authenticateToken,
  createToken,
  DEFAULT_TOKEN_DAYS,
  disableUser,
  grantRegionRight,
  principalOf,
  revokeRegionRight,
  revokeToken,
  setPassword,
  TOKEN_PREFIX,
  type TokenCheck,
  userOr404,
} from './accounts.js';
export { type AuditActor, cliActor, parseAuditSince, principalActor, recordAudit } from './audit.js';
export { type Action, authorise, type Decision } from './authorise.js';
export { OIDC_CALLBACK_PATH, type OidcSettings, OidcSignIn, oidcSettingsFromEnv } from './oidc.js';
export { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
export { isRole, type Principal, ROLES, type Role } from './principal.js';
export {
  BAD_TOKENS_PER_ADDRESS,
  type RateLimit,
  RateLimiter,
  REQUESTS_PER_TOKEN,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_NAME,
} from './rate-limiter.js';
export { sameSecret, sha256 } from './secrets.js';
export {
  CSRF_HEADER,
  endSession,
  resolveSession,
  SESSION_COOKIE,
  SESSION_HOURS,
  type Session,
  startSession,
} from './sessions.js';
export { type UnitScope, unitScope } from './unit-scope.js';
