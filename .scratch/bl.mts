import { createApp } from '../src/api/index.js';
import { openStore } from '../src/store/index.js';
const s = await openStore(':memory:');
const app = createApp(s);
const r = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(100000), password: 'y' }), headers: { 'Content-Type': 'application/json' } });
console.log(r.status, (await r.json()).detail);
const r2 = await app.request('/api/session', { method: 'POST', body: JSON.stringify({ name: 'x', password: 'yyyyyyyyyyyyy' }), headers: { 'Content-Type': 'application/json' } });
console.log(r2.status, (await r2.json()).detail);
