// The server side of the store channel: while `pejling serve` holds a DuckDB store file (DuckDB lets one
// process open it), other Pejling commands on the same machine send their Store calls here and they run on the
// server's own store, through its read pool and write queue. The socket lies in a folder only the server's
// user may enter: whoever can reach it could open the store file itself when no server runs.
import { chmod, mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { BusyError, UserError } from '../../domain/errors.js';
import type { Store } from '../store.js';
import { resolveChannelCall } from './channel-methods.js';
import { channelPathFor } from './channel-path.js';

/** The JSON a channel call answers with. */
export type ChannelAnswer =
  | { ok: true; result?: unknown }
  | {
      ok: false;
      error: {
        name: string;
        message: string;
        status?: number;
        hint?: string;
        details?: readonly string[];
        location?: unknown;
        retryAfter?: number;
      };
    };

/**
 * Offers `store` (a DuckDB store file held by this process) to other local processes; returns a function that
 * stops offering it and removes the socket. A socket left by a server that was killed is replaced.
 * @example const stop = await serveStoreChannel(store); … await stop();
 */
export async function serveStoreChannel(store: Store): Promise<() => Promise<void>> {
  const { dir, socket } = channelPathFor(store.location);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  // This process holds the store's lock, so a socket already here belongs to a server that is gone.
  await rm(socket, { force: true });
  const server = http.createServer((request, response) => {
    void answer(store, request).then((body) => {
      const text = JSON.stringify(body);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    });
  });
  // Imports and computations through the channel may take minutes; the caller waits for them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  await chmod(socket, 0o600);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await rm(dir, { recursive: true, force: true });
  };
}

async function answer(store: Store, request: http.IncomingMessage): Promise<ChannelAnswer> {
  try {
    if (request.method !== 'POST' || request.url !== '/call') {
      throw new UserError(`The store channel takes POST /call; got ${request.method} ${request.url}`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { method?: unknown; args?: unknown };
    if (typeof call.method !== 'string' || !Array.isArray(call.args)) {
      throw new UserError('A channel call is {"method": "name", "args": [...]}');
    }
    const method = resolveChannelCall(store, call.method);
    if (!method) throw new UserError(`'${call.method}' is not a Store method the channel offers`);
    return { ok: true, result: await method(...call.args) };
  } catch (error) {
    if (error instanceof UserError) {
      return {
        ok: false,
        error: {
          name: error.name,
          message: error.message,
          status: error.status,
          ...(error.hint ? { hint: error.hint } : {}),
          details: error.details,
          ...(error.location ? { location: error.location } : {}),
          ...(error instanceof BusyError ? { retryAfter: error.retryAfter } : {}),
        },
      };
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ok: false, error: { name: 'Error', message: `in the server: ${message}` } };
  }
}
