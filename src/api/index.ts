// Public face of the HTTP API.
export { createApp } from './app.js';
export { type RunningServer, startServer } from './server.js';
