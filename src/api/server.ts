// Serves the API on a real port.
import { type ServerType, serve } from '@hono/node-server';
import { closePdfQueue } from '../report/index.js';
import type { Store } from '../store/index.js';
import { type AppOptions, createApp } from './app.js';
import { BackgroundWork } from './background-work.js';
import { prepareAhead } from './prepare-ahead.js';

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
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined;
    try {
      server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? '0.0.0.0' }, (info) => {
        const host = options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : 'localhost';
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: async () => {
            await stopPreparing();
            await background.stop();
            await new Promise<void>((done) => server?.close(() => done()));
            await closePdfQueue();
          },
        });
      });
      server.on('error', reject);
    } catch (error) {
      reject(error);
    }
  });
}
