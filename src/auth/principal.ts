// Who is asking: an authenticated user with a role in one organisation unit.
import type { Role } from '../store/index.js';

export type { Role };

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export interface Principal {
  userId: number;
  name: string;
  /** The organisation unit the user belongs to (DK, a region, a municipality). */
  unit: string;
  role: Role;
  /** How the principal was authenticated: `token:<id>`, `session`, `oidc` or `cli`. */
  via: string;
}

/** True for a role name. */
export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}
