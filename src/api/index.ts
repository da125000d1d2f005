// Public face of the HTTP API.
export { type AppOptions, createApp } from './app.js';
export type { SecurityOptions } from './middleware/index.js';
export { type RunningServer, startServer } from './server.js';
