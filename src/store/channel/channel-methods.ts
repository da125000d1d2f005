// The Store calls a server takes through its channel: every method of the Store interface (and its accounts),
// nothing else (no `close`, no engine internals). The records below fail to compile when the interface grows
// a method they do not name, so the channel never falls behind the Store.
import type { AccountStore } from '../accounts.js';
import type { Store } from '../store.js';

type MethodsOf<T> = { [K in keyof T]-?: NonNullable<T[K]> extends (...args: never[]) => unknown ? K : never }[keyof T];

/** Store methods forwarded as they are; `close` ends the caller's own connection instead. */
const STORE_METHODS: Record<Exclude<MethodsOf<Store>, 'close'>, true> = {
  migrate: true,
  replaceCatalogue: true,
  listGoalSets: true,
  getGoalSet: true,
  listOrgUnits: true,
  listGroups: true,
  listGroupings: true,
  saveGrouping: true,
  listIndicators: true,
  getIndicator: true,
  listLinks: true,
  listTargets: true,
  getTarget: true,
  replaceValues: true,
  replaceValuesIn: true,
  queryValues: true,
  diffImport: true,
  applyImport: true,
  listImports: true,
  storedValueCounts: true,
  valueHistory: true,
  saveLocalGoalSet: true,
  info: true,
  dataVersion: true,
  changesBetween: true,
  advanceDataVersion: true,
  checkpoint: true,
  backupTo: true,
  listQualityStandards: true,
  getQualityStandard: true,
  queryCompliance: true,
  diffCompliance: true,
  applyComplianceImport: true,
  listComplianceImports: true,
  complianceHistory: true,
};

const ACCOUNT_METHODS: Record<MethodsOf<AccountStore>, true> = {
  addUser: true,
  getUser: true,
  getUserById: true,
  listUsers: true,
  updateUser: true,
  addToken: true,
  findToken: true,
  listTokens: true,
  revokeToken: true,
  touchToken: true,
  addSession: true,
  findSession: true,
  deleteSession: true,
  deleteSessionsOf: true,
  deleteExpiredSessions: true,
  listRegionRights: true,
  grantRegionRight: true,
  revokeRegionRight: true,
  addAudit: true,
  listAudit: true,
};

/** Whether `name` is a Store method (`accounts` for the account methods) the channel forwards. */
export function isChannelMethod(name: string, scope: 'store' | 'accounts'): boolean {
  return Object.hasOwn(scope === 'store' ? STORE_METHODS : ACCOUNT_METHODS, name);
}

/** The store object and method a call name (`listIndicators`, `accounts.listUsers`) means, or undefined. */
export function resolveChannelCall(store: Store, name: string): ((...args: unknown[]) => Promise<unknown>) | undefined {
  const [first, second, ...rest] = name.split('.');
  if (first === undefined || rest.length > 0) return undefined;
  if (second === undefined) {
    if (!Object.hasOwn(STORE_METHODS, first)) return undefined;
    const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[first];
    return method?.bind(store);
  }
  if (first !== 'accounts' || !Object.hasOwn(ACCOUNT_METHODS, second)) return undefined;
  const accounts = store.accounts as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return accounts[second]?.bind(accounts);
}
