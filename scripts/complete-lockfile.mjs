// Adds lockfile records for platform-specific optional packages (other operating systems and CPUs) that npm leaves
// out when the registry does not serve them, so `npm ci` accepts the lockfile. Run after `npm install` changes it.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
const out = (() => { try { execSync('npm ci --dry-run', { stdio: 'pipe' }); return ''; } catch (e) { return String(e.stderr) + String(e.stdout); } })();
const missing = [...new Set([...out.matchAll(/Missing: (@?[^@\s]+)@(\S*) from lock file/g)].map((m) => m[1]))];
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
for (const name of missing) {
  let version;
  for (const pkg of Object.values(lock.packages)) {
    const v = pkg.optionalDependencies?.[name];
    if (v) { version = v; break; }
  }
  const m = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|ia32|arm)(-(musl|gnu|msvc))?$/.exec(name);
  if (!version || !m) { console.log('skip', name); continue; }
  const entry = { version, optional: true, os: [m[1]], cpu: [m[2]] };
  if (m[4] === 'musl') entry.libc = ['musl'];
  lock.packages[`node_modules/${name}`] = entry;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log('added', missing.length);
