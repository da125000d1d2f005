// Where a running server offers its store to other Pejling processes on the same machine: a unix socket in a
// folder only the server's user may enter, beside the store file (or in the temp folder when that path is too
// long for a socket).
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Unix socket paths are limited to about 104–108 bytes, depending on the system. */
const MAX_SOCKET_PATH = 100;

/**
 * The folder and socket through which the server holding a DuckDB store file takes calls from the CLI.
 * @example channelPathFor('./data/pejling.duckdb') // { dir: '/abs/data/pejling.duckdb.server', socket: '…/socket' }
 */
export function channelPathFor(location: string): { dir: string; socket: string } {
  const absolute = path.resolve(location);
  const beside = `${absolute}.server`;
  if (Buffer.byteLength(path.join(beside, 'socket')) <= MAX_SOCKET_PATH) {
    return { dir: beside, socket: path.join(beside, 'socket') };
  }
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `pejling-${hash}.server`);
  return { dir, socket: path.join(dir, 'socket') };
}
