// Answers prepared once per data version: a GET under /api/ is computed once for each URL (however many ask
// at the same moment), kept until a write changes what it read (an answer that read nothing the write changed is
// carried over to the new data version with its ETag), compressed once, and revalidated with ETag/304. With
// `serveStale` (what `pejling serve` does), while the first to ask for a public answer of a new data version
// waits for it, everyone else asking for it gets its last prepared version, and the answers asked
// for under the last version are prepared again in the background.
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { atDataVersion, readsInto, type Store, type Topics, touches } from '../store/index.js';
import { type BackgroundTask, BackgroundWork, currentTask, nextTurn } from './background-work.js';

export interface PreparedResponsesOptions {
  /** Most answers kept of the current version, and of earlier ones (default 5,000 each); the oldest go first. */
  maxEntries?: number;
  /** Most bytes of answers kept of the current version, and of earlier ones (default 256 MB each). */
  maxBytes?: number;
  /**
   * Answer a public request from the last prepared version of its answer while someone else waits for the
   * current one, and prepare again in the background what was asked for (default false: every answer is of the
   * current data version).
   */
  serveStale?: boolean;
  /** Runs a request through the whole app (`app.request`); needed for preparing in the background. */
  request?: (path: string, init: RequestInit) => Promise<Response>;
  /** The server's background work, which preparations join (so stopping the server waits for them). */
  background?: BackgroundWork;
}

/** An answer being computed, and the background task computing it (when it is one). */
interface Computation {
  result: Promise<{ answer: Prepared; whole: boolean }>;
  /** False while it waits for its turn. */
  running: boolean;
  task?: BackgroundTask;
}

interface Prepared {
  /** The data version it was computed under; it stays the answer of later versions whose writes it did not read. */
  version: number;
  /** What it read from the store (topics, store/data-change.ts). */
  reads: Topics;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** The body compressed once with gzip, for clients that accept it (large textual answers only). */
  gzip?: Uint8Array<ArrayBuffer>;
}

/** Changes with every start of the server, so an ETag never outlives the process that made it. */
const EPOCH = randomBytes(4).toString('hex');
/** Marks a request that prepares an answer (in the background): never answered from an earlier version. */
const PREPARE_HEADER = 'x-pejling-prepare';
const PREPARE_SECRET = randomBytes(16).toString('hex');
const COMPRESSIBLE = /^(application\/(json|problem\+json|geo\+json)|text\/|image\/svg)/;
const gzipAsync = promisify(gzip);
/**
 * Answers up to this size are compressed in the server's thread (a 32 KB overview in well under a millisecond):
 * compressing them in libuv's four threads would make them wait behind DuckDB's queries there, which run on the
 * same threads and can take a hundred milliseconds during an import.
 */
const GZIP_IN_THREAD = 128 * 1024;
const COMPUTED_AT_ONCE = 4;
/** How long the first to ask after a change waits for the new answer when an earlier one could be sent. */
const PATIENCE_MS = 2_000;
const KEPT_HEADERS = new Set(['content-type', 'content-disposition', 'content-language', 'content-encoding', 'link']);

/**
 * Prepares the public answer at `path` for the current data version, at low priority (store reads wait for the
 * requests already waiting); never throws.
 * @example await prepareInBackground((path, init) => app.request(path, init), '/api/overview?unit=751', work)
 */
export async function prepareInBackground(
  request: (path: string, init: RequestInit) => Promise<Response>,
  path: string,
  background: BackgroundWork,
): Promise<void> {
  try {
    await background.run(async () => {
      const response = await request(path, { headers: { [PREPARE_HEADER]: PREPARE_SECRET } });
      await response.arrayBuffer();
    });
  } catch {
    // A failed preparation is made again when someone asks.
  }
}

/** A public GET as the socket received it: its path with the query, and the headers that choose the answer. */
export interface PublicRead {
  path: string;
  acceptEncoding?: string | undefined;
  ifNoneMatch?: string | undefined;
  cacheControl?: string | undefined;
}

/** A prepared answer as it is sent: status, the headers of the answer (without per-request ones), body. */
export interface ReadyAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | null;
}

export interface PreparedAnswers {
  /** The middleware of the app: prepares, shares and sends GET answers. */
  middleware: MiddlewareHandler;
  /**
   * The answer to a public GET that needs no computation and no more of the app (prepared, 304, or the last
   * prepared version while the current one is made), exactly as the middleware would send it; undefined when the
   * request must go through the app.
   */
  ready(read: PublicRead): Promise<ReadyAnswer | undefined>;
}

/**
 * Middleware that prepares and shares GET answers keyed by data version, day, viewer and URL.
 * @example app.use('/api/*', preparedResponses(store))
 */
export function preparedResponses(store: Store, options: PreparedResponsesOptions = {}): MiddlewareHandler {
  return preparedAnswers(store, options).middleware;
}

/**
 * The prepared answers of an app: its middleware, and the lookup of answers that are ready.
 * @example const { middleware, ready } = preparedAnswers(store, { serveStale: true, request })
 */
export function preparedAnswers(store: Store, options: PreparedResponsesOptions = {}): PreparedAnswers {
  const maxEntries = options.maxEntries ?? 5_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const serveStale = Boolean(options.serveStale && options.request);
  let version = -1;
  /** Answers of the current version, oldest first; `hits` orders the refresh after the next change. */
  let ready = new Map<string, { answer: Prepared; path: string; hits: number }>();
  let readyBytes = 0;
  let computing = new Map<string, Computation>();
  /** Public answers of the current version that someone is waiting for. */
  let waited = new Set<string>();
  /** The newest prepared answer of each public key from earlier versions (served while the current is made). */
  const earlier = new Map<string, Prepared>();
  // A few answers are computed at a time, first asked first: each finishes sooner than if all shared the CPU.
  const turns = new Turns(COMPUTED_AT_ONCE);
  const request = options.request;
  const background = options.background ?? new BackgroundWork();
  const refresh = new RefreshQueue(background, (path) =>
    request ? prepareInBackground(request, path, background) : Promise.resolve(),
  );

  // Many requests at once share one read of the data version (a query on PostgreSQL).
  let versionRead: Promise<number> | undefined;
  const dataVersion = (): Promise<number> => {
    if (!serveStale) return store.dataVersion();
    versionRead ??= store.dataVersion().finally(() => {
      versionRead = undefined;
    });
    return versionRead;
  };

  /** What the writes after `from` up to `to` changed; undefined when not known (everything changed). */
  const changesBetween = async (from: number, to: number): Promise<Topics | undefined> => {
    if (from < 0 || !store.changesBetween) return undefined;
    const changed = await store.changesBetween(from, to).catch(() => undefined);
    return changed ? new Set(changed) : undefined;
  };

  /** The current data version, the answers kept moved to it first (one move at a time, forwards only). */
  let moving: Promise<void> = Promise.resolve();
  const current = async (): Promise<number> => {
    const now = await dataVersion();
    if (now > version || version < 0) {
      moving = moving.then(async () => {
        if (now <= version && version >= 0) return;
        moveTo(now, await changesBetween(version, now));
      });
      await moving;
    }
    return now;
  };

  const moveTo = (now: number, changed: Topics | undefined) => {
    // Answers that read nothing the writes changed are the answers of the new version too, with their ETags.
    const stays = (entry: { answer: Prepared }) => changed !== undefined && !touches(changed, entry.answer.reads);
    const carried = [...ready].filter(([, entry]) => stays(entry));
    const gone = [...ready].filter(([, entry]) => !stays(entry));
    const hot = gone.filter(([key, entry]) => isPublic(key) && entry.hits > 0).sort((a, b) => b[1].hits - a[1].hits);
    if (serveStale) {
      for (const [key, entry] of gone) {
        if (!isPublic(key)) continue;
        earlier.delete(key); // to the end: the oldest go first
        earlier.set(key, entry.answer);
      }
      let bytes = 0;
      for (const answer of earlier.values()) bytes += sizeOf(answer);
      for (const [oldest, answer] of earlier) {
        if (earlier.size <= maxEntries && bytes <= maxBytes) break;
        earlier.delete(oldest);
        bytes -= sizeOf(answer);
      }
      // What people asked for under the last version is prepared again first, most asked first.
      refresh.replace(hot.slice(0, 1_000).map(([, entry]) => entry.path));
    }
    version = now;
    ready = new Map(carried);
    readyBytes = 0;
    for (const [, entry] of carried) readyBytes += sizeOf(entry.answer);
    computing = new Map();
    waited = new Set();
  };

  const keep = (key: string, path: string, answer: Prepared, asked: boolean) => {
    ready.set(key, { answer, path, hits: asked ? 1 : 0 });
    readyBytes += sizeOf(answer);
    for (const [oldest, entry] of ready) {
      if (ready.size <= maxEntries && readyBytes <= maxBytes) break;
      ready.delete(oldest);
      readyBytes -= sizeOf(entry.answer);
    }
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const now = await current();
    // Answers depend on the data, on today (units valid today, the date printed on reports) and, once
    // accounts exist, on who asks; the key holds all three.
    const today = new Date().toISOString().slice(0, 10);
    const viewer = c.req.header('authorization') ?? c.req.header('cookie') ?? '';
    const url = c.req.url;
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const key = `${today}|${viewer ? createHash('sha256').update(viewer).digest('hex') : ''}|${path}`;
    const preparing = c.req.header(PREPARE_HEADER) === PREPARE_SECRET;

    const done = ready.get(key);
    if (done) {
      done.hits++;
      return send(c, done.answer, viewer, today);
    }
    if (!preparing && matches(c.req.header('if-none-match'), etagOf(now, today))) {
      return respond(c, null, 304, validators(etagOf(now, today), viewer));
    }
    // The first to ask for an answer of the new version waits for it (so whoever made a change sees it) when it
    // is being computed or can be at once; everyone else, and anyone who would wait behind other computations,
    // gets its last prepared version meanwhile.
    const reload = wantsCurrent(c.req.header('cache-control'));
    const last = serveStale && !viewer && !preparing && !reload ? earlier.get(key) : undefined;
    let computation = computing.get(key);
    if (last && (waited.has(key) || !(computation ? computation.running : turns.free > 0)))
      return send(c, last, viewer, today);
    if (last) waited.add(key);
    // A request waiting for an answer being prepared in the background raises it to a request's priority.
    if (computation?.task && !preparing) computation.task.lowPriority = false;
    if (!computation) {
      const task = currentTask();
      const started: Computation = { result: Promise.resolve() as never, running: false, ...(task ? { task } : {}) };
      const result = (async () => {
        const reads = new Set<string>();
        const answer = await readsInto(reads, async () => {
          await turns.run(() => {
            started.running = true;
            return atDataVersion(now, next);
          });
          return toPrepared(now, reads, c.res);
        });
        // Whole from one version when no write that committed while it was computed changed what it read; only
        // such answers are kept (under the version current now, still with the ETag of the one computed under).
        const latest = await current();
        const whole =
          answer.status === 200 &&
          (latest === now || !touches((await changesBetween(now, latest)) ?? new Set(['*']), reads));
        if (whole && version === latest) keep(key, path, sameAsBefore(answer, earlier.get(key)), !preparing);
        return { answer, whole };
      })();
      started.result = result;
      computation = started;
      computing.set(key, started);
      void result
        .catch(() => undefined)
        .finally(() => {
          if (computing.get(key) === started) computing.delete(key);
        });
    }
    const outcome = await (last ? withPatience(computation.result) : computation.result).finally(() => {
      if (last) waited.delete(key);
    });
    // Past its patience the first asker too gets the last prepared answer; the new one is kept when done.
    if (outcome === undefined) return send(c, last as Prepared, viewer, today);
    const { answer, whole } = outcome;
    if (preparing) return respond(c, null, 204, {});
    if (whole || answer.status !== 200) return send(c, answer, viewer, today);
    return sendUncertain(c, key, answer, viewer, today);
  };

  /** An answer computed while a write committed: its last whole version when there is one, else itself, uncached. */
  const sendUncertain = (c: Context, key: string, prepared: Prepared, viewer: string, today: string) => {
    const last = earlier.get(key);
    if (last && !viewer) return send(c, last, viewer, today);
    return respond(c, prepared.body, 200, { ...Object.fromEntries(prepared.headers), 'Cache-Control': 'no-store' });
  };

  const readyAnswer = async (read: PublicRead): Promise<ReadyAnswer | undefined> => {
    const now = await current();
    const today = new Date().toISOString().slice(0, 10);
    const key = `${today}||${read.path}`;
    const done = ready.get(key);
    if (done) {
      done.hits++;
      return answerOf(done.answer, read, '', today);
    }
    if (matches(read.ifNoneMatch, etagOf(now, today)))
      return { status: 304, headers: validators(etagOf(now, today), ''), body: null };
    if (!serveStale || wantsCurrent(read.cacheControl)) return undefined;
    const last = earlier.get(key);
    const computation = computing.get(key);
    if (last && (waited.has(key) || !(computation ? computation.running : turns.free > 0)))
      return answerOf(last, read, '', today);
    return undefined;
  };

  return { middleware, ready: readyAnswer };
}

/** Background preparations, one at a time, each after the requests already waiting. */
class RefreshQueue {
  private later = new Set<string>();
  private running = false;

  constructor(
    private readonly background: BackgroundWork,
    private readonly work: (path: string) => Promise<void>,
  ) {}

  replace(paths: readonly string[]): void {
    this.later = new Set(paths);
    this.start();
  }

  private start(): void {
    if (this.running || !this.background.active) return;
    this.running = true;
    void (async () => {
      try {
        for (;;) {
          await nextTurn();
          const path = first(this.later);
          if (path === undefined || !this.background.active) break;
          this.later.delete(path);
          await this.work(path);
        }
      } finally {
        this.running = false;
      }
    })();
  }
}

/** The result, or undefined when it takes longer than PATIENCE_MS. */
async function withPatience<T>(result: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const impatient = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PATIENCE_MS);
  });
  try {
    return await Promise.race([result, impatient]);
  } finally {
    clearTimeout(timer);
  }
}

/** At most `size` pieces of work at a time; the others wait in line. */
class Turns {
  /** Turns free now: work started now would not wait. */
  free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((go) => this.waiting.push(go));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

function first(set: Set<string>): string | undefined {
  for (const value of set) return value;
  return undefined;
}

/**
 * An answer computed again that is byte for byte its last prepared version is that version (same ETag): a client
 * holding it gets a 304.
 */
function sameAsBefore(answer: Prepared, before: Prepared | undefined): Prepared {
  if (!before || before.status !== answer.status || !Buffer.from(before.body).equals(answer.body)) return answer;
  if (before.headers.length !== answer.headers.length) return answer;
  if (before.headers.some(([name, value], i) => answer.headers[i]?.[0] !== name || answer.headers[i]?.[1] !== value))
    return answer;
  return { ...before, reads: answer.reads };
}

async function toPrepared(version: number, reads: Topics, response: Response): Promise<Prepared> {
  // Only what the route says about its answer: request ids, CORS and security headers belong to each request.
  const headers = [...response.headers.entries()].filter(([name]) => KEPT_HEADERS.has(name));
  const body = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const compressible = response.status === 200 && body.byteLength >= 1024 && COMPRESSIBLE.test(type);
  const gzipped =
    compressible && !response.headers.has('content-encoding')
      ? body.byteLength <= GZIP_IN_THREAD
        ? gzipSync(body)
        : await gzipAsync(body)
      : undefined;
  return {
    version,
    reads,
    status: response.status,
    headers,
    body,
    ...(gzipped ? { gzip: new Uint8Array(gzipped) } : {}),
  };
}

function send(c: Context, prepared: Prepared, viewer: string, today: string): Response {
  const read = { acceptEncoding: c.req.header('accept-encoding'), ifNoneMatch: c.req.header('if-none-match') };
  const { status, headers, body } = answerOf(prepared, read, viewer, today);
  return respond(c, body, status, headers);
}

/** How a prepared answer is sent to one request: compressed or not, or 304 when the client has it already. */
function answerOf(
  prepared: Prepared,
  read: Pick<PublicRead, 'acceptEncoding' | 'ifNoneMatch'>,
  viewer: string,
  today: string,
): ReadyAnswer {
  const headers: Record<string, string> = Object.fromEntries(prepared.headers);
  if (prepared.status !== 200) return { status: prepared.status, headers, body: prepared.body };
  const etag = etagOf(prepared.version, today);
  const zipped = prepared.gzip && acceptsGzip(read.acceptEncoding) ? prepared.gzip : undefined;
  // A compressed body is another representation of the same answer: a weak validator.
  Object.assign(headers, validators(zipped ? `W/${etag}` : etag, viewer));
  if (matches(read.ifNoneMatch, etag)) return { status: 304, headers, body: null };
  const body = zipped ?? prepared.body;
  if (zipped) headers['Content-Encoding'] = 'gzip';
  // A length lets the compression middleware pass small answers by (large ones come compressed already).
  headers['Content-Length'] = String(body.byteLength);
  return { status: 200, headers, body };
}

/** Sets the answer on the context (after a computation the route's answer is there already, read). */
function respond(c: Context, body: Uint8Array<ArrayBuffer> | null, status: number, headers: Record<string, string>) {
  c.res = body === null ? c.body(null, status as 304, headers) : c.body(body, status as 200, headers);
  return c.res;
}

/** The ETag of every answer of one data version on one day: it names the version. */
function etagOf(version: number, today: string): string {
  return `"${EPOCH}-${version}-${today}"`;
}

function validators(etag: string, viewer: string): Record<string, string> {
  return {
    ETag: etag,
    // Browsers and proxies keep the answer but ask each time whether it is still current (a cheap 304).
    'Cache-Control': viewer ? 'private, no-cache' : 'no-cache',
    Vary: 'Authorization, Cookie, Accept-Encoding',
  };
}

function sizeOf(answer: Prepared): number {
  return answer.body.byteLength + (answer.gzip?.byteLength ?? 0);
}

function isPublic(key: string): boolean {
  return key.charAt(11) === '|';
}

/** A reload (`Cache-Control: no-cache` or `max-age=0`) asks for the current version, however long it takes. */
function wantsCurrent(control: string | undefined): boolean {
  return control !== undefined && /no-cache|max-age=0/.test(control);
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))/i.test(header);
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
