// Serves the API on a real port.
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { closePdfQueue } from '../report/index.js';
import type { Store } from '../store/index.js';
import { type AppOptions, createApp, readyAnswersOf } from './app.js';
import { BackgroundWork } from './background-work.js';
import { prepareAhead } from './prepare-ahead.js';
import { preparedFirst } from './prepared-fast-path.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server; port 0 picks a free port. */
export function startServer(
  store: Store,
  options: { port: number; hostname?: string; prepareAhead?: boolean } & AppOptions,
): Promise<RunningServer> {
  // The serve command prepares the units' overviews ahead, and answers public requests whose new answer is being
  // made from the last prepared version; tests and embedders opt in.
  const background = new BackgroundWork();
  const app = createApp(store, { serveStale: options.prepareAhead, background, ...options });
  const stopPreparing = options.prepareAhead ? prepareAhead(app, store, background) : async () => undefined;
  // Ready prepared answers go out straight from the socket; every other request through the app.
  // Requests at work are counted until their answer is made, also when the client has gone: closing waits for
  // them, so that the store closed next fails none of them.
  const atWork = new Set<Promise<unknown>>();
  const fetch: typeof app.fetch = (request, ...rest) => {
    const answer = Promise.resolve(app.fetch(request, ...rest));
    const finished = (): void => {
      atWork.delete(done);
    };
    const done: Promise<unknown> = answer.then(finished, finished);
    atWork.add(done);
    return answer;
  };
  const appListener = getRequestListener(fetch, { hostname: options.hostname ?? '0.0.0.0' });
  const ready = readyAnswersOf(app);
  const listener = ready ? preparedFirst(appListener, ready, options.security) : appListener;
  return new Promise((resolve, reject) => {
    let server: Server | undefined;
    try {
      server = createServer(listener);
      server.on('error', reject);
      server.listen(options.port, options.hostname ?? '0.0.0.0', () => {
        const address = server?.address();
        const port = typeof address === 'object' && address ? address.port : options.port;
        const host = options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : 'localhost';
        resolve({
          url: `http://${host}:${port}`,
          port,
          close: async () => {
            await stopPreparing();
            await background.stop();
            await new Promise<void>((done) => server?.close(() => done()));
            while (atWork.size > 0) await Promise.all(atWork);
            await closePdfQueue();
          },
        });
      });
    } catch (error) {
      reject(error);
    }
  });
}
