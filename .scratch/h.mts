import { createApp } from '../src/api/index.js';
import { openStore } from '../src/store/index.js';
const s = await openStore(':memory:');
const app = createApp(s);
const r = await app.request('/api/goal-sets', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
console.log(r.status, [...r.headers.entries()]);
