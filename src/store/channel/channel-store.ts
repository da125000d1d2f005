// The calling side of the store channel: a Store whose every call runs in the server that holds the store file,
// so CLI commands work while `pejling serve` runs. Writes the server's queue turns away are sent again.
import http from 'node:http';
import { BusyError, UserError } from '../../domain/errors.js';
import type { AccountStore } from '../accounts.js';
import type { Store } from '../store.js';
import { isChannelMethod } from './channel-methods.js';
import { channelPathFor } from './channel-path.js';
import type { ChannelAnswer } from './serve-channel.js';

/** How often a call the server's write queue refused is sent again before the caller is told. */
const BUSY_RETRIES = 12;

/**
 * The store at `location` through the server that holds it, or undefined when no server answers there (none
 * was started, or it was killed and left its socket behind).
 * @example const store = (await connectStoreChannel('./data/pejling.duckdb')) ?? (await openStore(…));
 */
export async function connectStoreChannel(location: string): Promise<Store | undefined> {
  const { socket } = channelPathFor(location);
  const agent = new http.Agent({ keepAlive: true });
  const call = (method: string, args: readonly unknown[]) => callWithRetry(socket, agent, method, args);
  try {
    await call('dataVersion', []);
  } catch (error) {
    agent.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTSOCK') return undefined;
    throw error;
  }
  const accounts = methodsProxy<AccountStore>('accounts', call, {});
  return methodsProxy<Store>('store', call, {
    location,
    accounts,
    close: async () => agent.destroy(),
  });
}

/** An object whose Store methods send their call through the channel; `fixed` members answer locally. */
function methodsProxy<T extends object>(
  scope: 'store' | 'accounts',
  call: (method: string, args: readonly unknown[]) => Promise<unknown>,
  fixed: Record<string, unknown>,
): T {
  const prefix = scope === 'accounts' ? 'accounts.' : '';
  return new Proxy(fixed, {
    get(target, property) {
      if (typeof property !== 'string') return undefined;
      if (Object.hasOwn(target, property)) return target[property];
      if (!isChannelMethod(property, scope)) return undefined;
      return async (...args: unknown[]) => call(`${prefix}${property}`, await Promise.all(args.map(sendable)));
    },
  }) as T;
}

/**
 * Arguments go as JSON: iterables (the rows of `replaceValues`) as arrays, async iterables (the chunks of
 * `replaceValuesIn`) as arrays of their items, which the server's store reads with `for await` as well.
 */
async function sendable(value: unknown): Promise<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (Symbol.asyncIterator in value) {
    const items: unknown[] = [];
    for await (const item of value as AsyncIterable<unknown>) items.push(item);
    return items;
  }
  if (Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  return value;
}

async function callWithRetry(
  socket: string,
  agent: http.Agent,
  method: string,
  args: readonly unknown[],
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callOnce(socket, agent, method, args);
    } catch (error) {
      if (!(error instanceof BusyError) || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfter, 5) * 1000));
    }
  }
}

function callOnce(socket: string, agent: http.Agent, method: string, args: readonly unknown[]): Promise<unknown> {
  const body = JSON.stringify({ method, args });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath: socket,
        agent,
        path: '/call',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChannelAnswer;
            if (answer.ok) resolve(answer.result);
            else reject(errorOf(answer.error));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The error the server reported, as the same kind of error here (so the CLI's exit codes stay the same). */
function errorOf(error: Extract<ChannelAnswer, { ok: false }>['error']): Error {
  if (error.name === 'BusyError') {
    return new BusyError(error.message, {
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  if (error.status !== undefined) {
    return new UserError(error.message, {
      status: error.status,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.details ? { details: error.details } : {}),
      ...(error.location ? { location: error.location as UserError['location'] & object } : {}),
    });
  }
  return new Error(error.message);
}
