// A throw-away PostgreSQL cluster for tests: initdb and pg_ctl in a temporary folder, on a free port, as an
// unprivileged user when the tests run as root (PostgreSQL refuses to run as root). One cluster per test file,
// one database per test.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const exec = promisify(execFile);

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, the maintenance database. */
  adminUrl: string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Starts a streaming read replica of this cluster; returns the URL of `database` on it. */
  startReplica(database: string): Promise<string>;
  stop(): Promise<void>;
}

/** Debian's server binaries: PEJLING_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else `pg_config --bindir`. */
export async function findPostgresBin(): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PEJLING_PG_BIN) candidates.push(process.env.PEJLING_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  try {
    candidates.push((await exec('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // no pg_config on the PATH
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      "No PostgreSQL server binaries (initdb, pg_ctl) found. Install Debian's postgresql (apt-get install postgresql) or set PEJLING_PG_BIN.",
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as `nobody` when this process is root. */
async function runAs(bin: string, args: readonly string[], asNobody: boolean): Promise<void> {
  if (asNobody) await exec('runuser', ['-u', 'nobody', '--', bin, ...args]);
  else await exec(bin, [...args]);
}

/** Starts a new cluster; stop it with `stop()` (an afterAll). */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = await findPostgresBin();
  const root = await mkdtemp(path.join(tmpdir(), 'pejling-pg-'));
  const asNobody = process.getuid?.() === 0;
  if (asNobody) await chown(root, 65_534, 65_534);
  await chmod(root, 0o700);
  const data = path.join(root, 'data');
  const port = await freePort();
  await runAs(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    asNobody,
  );
  const options = (port: number) =>
    [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
  const pgCtl = path.join(bin, 'pg_ctl');
  await runAs(pgCtl, ['-D', data, '-l', path.join(root, 'server.log'), '-o', options(port), '-w', 'start'], asNobody);
  const replicas: string[] = [];
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    adminUrl,
    async createDatabase(prefix = 'pejling') {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${++databases}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async startReplica(database) {
      const replica = path.join(root, `replica-${replicas.length + 1}`);
      const replicaPort = await freePort();
      await runAs(
        path.join(bin, 'pg_basebackup'),
        [
          '-D',
          replica,
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-R',
          '-X',
          'stream',
          '--checkpoint=fast',
          '--no-sync',
        ],
        asNobody,
      );
      await runAs(
        pgCtl,
        [
          '-D',
          replica,
          '-l',
          path.join(root, `${path.basename(replica)}.log`),
          '-o',
          options(replicaPort),
          '-w',
          'start',
        ],
        asNobody,
      );
      replicas.push(replica);
      return `postgres://postgres@127.0.0.1:${replicaPort}/${database}`;
    },
    async stop() {
      for (const replica of replicas) {
        await runAs(pgCtl, ['-D', replica, '-m', 'immediate', 'stop'], asNobody).catch(() => {});
      }
      await runAs(pgCtl, ['-D', data, '-m', 'immediate', 'stop'], asNobody).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}
