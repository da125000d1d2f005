import { startServer } from '../src/api/index.js';
import { openStore } from '../src/store/index.js';
const s = await openStore(':memory:');
const srv = await startServer(s, { port: 0, hostname: '127.0.0.1' });
for (const p of ['/api/goal-sets', '/api/imports']) {
const r = await fetch(srv.url + p, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
console.log(p, r.status, r.headers.get('www-authenticate'), r.headers.get('x-request-id'));
}
await srv.close();
