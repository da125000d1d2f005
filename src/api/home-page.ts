// The page at `/` until the dashboard is built: the goal sets, in Danish, rendered on the server.
import type { GoalSet } from '../catalogue/index.js';
import { escapeHtml } from '../report/render-report.js';

const LEVELS: Record<GoalSet['level'], string> = {
  national: 'Nationalt',
  regional: 'Regionalt',
  municipal: 'Kommunalt',
};

export function renderHomePage(goalSets: readonly GoalSet[]): string {
  const items = goalSets
    .map((set) => {
      const targets = set.goals.reduce((n, g) => n + g.targets.length, 0);
      const period = `${set.period.from}–${set.period.to ?? ''}`;
      return `<li><a href="/api/goal-sets/${encodeURIComponent(set.id)}"><strong>${escapeHtml(set.name.da)}</strong></a>
        <span class="meta">${LEVELS[set.level]} · ${escapeHtml(set.owner)} · ${period} · ${set.goals.length} mål · ${targets} målsætninger</span></li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pejling – mål og indikatorer for sundhedsvæsenet</title>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
li{margin:.6rem 0}.meta{display:block;color:#555;font-size:.9rem}a{color:#0b5394}</style></head>
<body><h1>Pejling</h1><p>Mål og indikatorer for det danske sundhedsvæsen. <a href="/api/openapi.json">API (OpenAPI)</a></p>
<h2>Målsæt</h2><ul id="goal-sets">${items}</ul></body></html>`;
}
