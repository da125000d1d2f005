// `pejling users`, `tokens`, `region-rights` and `audit`: accounts and the audit trail from the command line. Who
// runs these has the store file and is trusted as its operator; each change is audited as `cli:<os user>`.
import type { Command } from 'commander';
import {
  addUser,
  cliActor,
  createToken,
  DEFAULT_TOKEN_DAYS,
  disableUser,
  grantRegionRight,
  parseAuditSince,
  recordAudit,
  revokeRegionRight,
  revokeToken,
  setPassword,
} from '../auth/index.js';
import { loadCatalogue } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { openStore, resolveStorePath, type Store } from '../store/index.js';
import type { GlobalOptions } from './main.js';

/** Opens the store (loading the catalogue into a new one, so that units can be checked) and closes it after. */
async function withStore<T>(program: Command, work: (store: Store) => Promise<T>): Promise<T> {
  const opts = program.opts<GlobalOptions>();
  const store = await openStore(resolveStorePath(opts.store));
  try {
    if ((await store.listOrgUnits()).length === 0) await store.replaceCatalogue(await loadCatalogue(opts.catalogue));
    return await work(store);
  } finally {
    await store.close();
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UserError('The password is read from standard input', {
      hint: 'Pipe it in: printf \'%s\' "$PASSWORD" | pejling users add … --password-stdin',
    });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const out = (text: string) => process.stdout.write(`${text}\n`);
const table = (rows: readonly (readonly string[])[]) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows)
    out(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
};

export function registerAccountCommands(program: Command): void {
  const users = program.command('users').description('user accounts: each belongs to one unit and has a role');
  users
    .command('add')
    .description('add a user (viewer, editor or admin of one unit)')
    .requiredOption('--name <name>', 'user name')
    .requiredOption('--unit <code>', 'the unit the user belongs to: DK, a region (1081-1085) or a municipality')
    .requiredOption('--role <role>', 'viewer, editor or admin')
    .option('--password-stdin', 'read a password for dashboard sign-in from standard input')
    .action(async (options: { name: string; unit: string; role: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : undefined;
      await withStore(program, async (store) => {
        const user = await addUser(store, { ...options, ...(password !== undefined ? { password } : {}) });
        await recordAudit(store, cliActor(), {
          action: 'user.add',
          subject: user.name,
          outcome: 'ok',
          details: { unit: user.unit, role: user.role },
        });
        out(`Added ${user.role} ${user.name} of unit ${user.unit}${user.passwordHash ? ' with a password' : ''}`);
      });
    });
  users
    .command('list')
    .description('list the users')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withStore(program, async (store) => {
        const list = (await store.accounts.listUsers()).map(({ passwordHash, ...u }) => ({
          ...u,
          hasPassword: passwordHash !== null,
        }));
        if (options.json) return out(JSON.stringify(list, null, 2));
        if (list.length === 0) return out('No users yet. Add the first admin with `pejling users add`.');
        table([
          ['NAME', 'UNIT', 'ROLE', 'STATE', 'PASSWORD'],
          ...list.map((u) => [
            u.name,
            u.unit,
            u.role,
            u.disabled ? 'disabled' : 'active',
            u.hasPassword ? 'yes' : 'no',
          ]),
        ]);
      });
    });
  users
    .command('disable')
    .description('disable a user: its tokens and sessions stop working')
    .requiredOption('--name <name>', 'user name')
    .action(async (options: { name: string }) => {
      await withStore(program, async (store) => {
        await disableUser(store, options.name);
        await recordAudit(store, cliActor(), { action: 'user.disable', subject: options.name, outcome: 'ok' });
        out(`Disabled ${options.name}`);
      });
    });

  users
    .command('set-password')
    .description("set a user's password from standard input; the user's sessions end")
    .requiredOption('--name <name>', 'user name')
    .action(async (options: { name: string }) => {
      const password = await readStdin();
      await withStore(program, async (store) => {
        await setPassword(store, options.name, password);
        await recordAudit(store, cliActor(), { action: 'user.set-password', subject: options.name, outcome: 'ok' });
        out(`Set the password of ${options.name}`);
      });
    });

  const tokens = program.command('tokens').description('API tokens (stored only as SHA-256 hashes)');
  tokens
    .command('create')
    .description('create an API token for a user; the token is printed once, alone on the last line')
    .requiredOption('--user <name>', 'user name')
    .option('--expires-days <n>', `days until the token expires (default ${DEFAULT_TOKEN_DAYS})`)
    .option('--label <text>', 'what the token is for')
    .action(async (options: { user: string; expiresDays?: string; label?: string }) => {
      const days = options.expiresDays === undefined ? undefined : Number(options.expiresDays);
      if (days !== undefined && !Number.isInteger(days))
        throw new UserError(`--expires-days must be a whole number; got '${options.expiresDays}'`);
      await withStore(program, async (store) => {
        const { token, record } = await createToken(store, {
          user: options.user,
          ...(days !== undefined ? { expiresDays: days } : {}),
          ...(options.label ? { label: options.label } : {}),
        });
        await recordAudit(store, cliActor(), {
          action: 'token.create',
          subject: String(record.id),
          outcome: 'ok',
          details: { user: record.userName, expiresAt: record.expiresAt },
        });
        out(`Token ${record.id} for ${record.userName}, expires ${record.expiresAt}. It is shown only now:`);
        out(token);
      });
    });
  tokens
    .command('revoke')
    .description('revoke an API token')
    .requiredOption('--id <id>', 'token id (see `tokens list`)')
    .action(async (options: { id: string }) => {
      await withStore(program, async (store) => {
        await revokeToken(store, Number(options.id));
        await recordAudit(store, cliActor(), { action: 'token.revoke', subject: options.id, outcome: 'ok' });
        out(`Revoked token ${options.id}`);
      });
    });
  tokens
    .command('list')
    .description('list the API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withStore(program, async (store) => {
        const list = await store.accounts.listTokens();
        if (options.json) return out(JSON.stringify(list, null, 2));
        if (list.length === 0) return out('No tokens.');
        const now = new Date().toISOString();
        table([
          ['ID', 'USER', 'STATE', 'EXPIRES', 'LAST USED', 'LABEL'],
          ...list.map((t) => [
            String(t.id),
            t.userName,
            t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
            t.expiresAt ?? 'never',
            t.lastUsedAt ?? '-',
            t.label ?? '',
          ]),
        ]);
      });
    });

  const rights = program
    .command('region-rights')
    .description("whether a region's editors may also write the municipalities of the region");
  rights
    .command('grant')
    .description("let a region's editors write its municipalities' values and goal sets")
    .requiredOption('--region <code>', 'region code (1081-1085)')
    .action(async (options: { region: string }) => {
      await withStore(program, async (store) => {
        const actor = cliActor();
        await grantRegionRight(store, options.region, actor.actor);
        await recordAudit(store, actor, { action: 'region-right.grant', subject: options.region, outcome: 'ok' });
        out(`The editors of region ${options.region} may now write its municipalities`);
      });
    });
  rights
    .command('revoke')
    .description('withdraw the right')
    .requiredOption('--region <code>', 'region code (1081-1085)')
    .action(async (options: { region: string }) => {
      await withStore(program, async (store) => {
        await revokeRegionRight(store, options.region);
        await recordAudit(store, cliActor(), { action: 'region-right.revoke', subject: options.region, outcome: 'ok' });
        out(`The editors of region ${options.region} may write only the region's own values again`);
      });
    });
  rights
    .command('list')
    .description('list the regions with the right')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withStore(program, async (store) => {
        const list = await store.accounts.listRegionRights();
        if (options.json) return out(JSON.stringify(list, null, 2));
        if (list.length === 0) return out('No region has the right.');
        for (const r of list) out(`${r.region}  granted by ${r.grantedBy} at ${r.grantedAt}`);
      });
    });

  program
    .command('audit')
    .description('the audit trail: who changed what, when, from where, with what outcome')
    .option('--since <date>', 'from this date (YYYY-MM-DD) or ISO time')
    .option('--json', 'print JSON')
    .action(async (options: { since?: string; json?: boolean }) => {
      const since = options.since ? parseAuditSince(options.since) : undefined;
      await withStore(program, async (store) => {
        const list = await store.accounts.listAudit(since ? { since } : {});
        if (options.json) return out(JSON.stringify(list, null, 2));
        if (list.length === 0) return out('No audit records.');
        for (const a of list)
          out(
            `${a.at}  ${a.outcome.padEnd(6)}  ${a.actor}${a.actorUnit ? ` (${a.actorUnit})` : ''}  ${a.address ?? '-'}  ${a.action}${a.subject ? ` ${a.subject}` : ''}${Object.keys(a.details).length ? `  ${JSON.stringify(a.details)}` : ''}`,
          );
      });
    });
}
