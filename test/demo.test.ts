import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/api/index.js';
import { demoStore, serveOnEphemeralPort } from './helpers.js';

interface Row {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  ciLow: number | null;
  synthetic?: boolean;
}

let server: RunningServer;
let cleanup: () => Promise<void>;
const get = async <T>(p: string): Promise<T> => {
  const response = await fetch(`${server.url}${p}`);
  expect(response.status, p).toBe(200);
  return (await response.json()) as T;
};

beforeAll(async () => {
  const made = await demoStore({ persons: 6000, fromYear: 2015, toYear: 2025 });
  server = await serveOnEphemeralPort(made.store);
  cleanup = async () => {
    await server.close();
    await made.cleanup();
  };
}, 600_000);

afterAll(async () => cleanup?.());

describe('the demo store', () => {
  it('has values for Denmark for every indicator, marked synthetic exactly where they are imported', async () => {
    const indicators = await get<{ id: string; origin: string }[]>('/api/indicators');
    expect(indicators.length).toBeGreaterThan(55);
    for (const indicator of indicators) {
      const rows = await get<Row[]>(`/api/indicators/${indicator.id}/values?unit=DK&breakdown=total`);
      expect(rows.length, indicator.id).toBeGreaterThan(0);
      for (const row of rows) expect(row.synthetic === true, indicator.id).toBe(indicator.origin === 'imported');
    }
  });

  it('builds Denmark from the regions for counted indicators, so intervals work', async () => {
    const rows = await get<Row[]>('/api/indicators/patient-satisfaction/values?period=2020&breakdown=total');
    const regions = rows.filter((r) => /^108[1-5]$/.test(r.unit));
    const dk = rows.find((r) => r.unit === 'DK');
    expect(regions).toHaveLength(5);
    expect(dk?.numerator).toBe(regions.reduce((s, r) => s + (r.numerator ?? 0), 0));
    expect(dk?.denominator).toBe(regions.reduce((s, r) => s + (r.denominator ?? 0), 0));
    for (const r of rows) {
      expect(r.ciLow, r.unit).not.toBeNull();
      expect(r.value).toBeGreaterThan(50);
      expect(r.value).toBeLessThan(100);
    }
    // Municipalities vary: not one value repeated.
    const municipalities = rows.filter((r) => /^\d{3}$/.test(r.unit));
    expect(municipalities.length).toBe(98);
    expect(new Set(municipalities.map((r) => r.value)).size).toBeGreaterThan(50);
  });

  it("leaves no goal with indicators empty on Denmark's overview, nor Viborg's own goals on Viborg's", async () => {
    for (const unit of ['DK', '791']) {
      const overview = await get<{
        goalSets: { unit: string; goals: { id: string; indicators: { id: string; latest: unknown }[] }[] }[];
      }>(`/api/overview?unit=${unit}`);
      for (const goal of overview.goalSets.filter((s) => s.unit === unit).flatMap((s) => s.goals)) {
        if (goal.indicators.length === 0) continue;
        expect(
          goal.indicators.some((i) => i.latest !== null),
          `${unit}: ${goal.id}`,
        ).toBe(true);
      }
    }
  });

  it('shows no source as a file name in the API', async () => {
    const bodies = await Promise.all(
      ['/api/goal-sets?full=true', '/api/indicators', '/api/goal-links'].map(async (p) =>
        (await fetch(`${server.url}${p}`)).text(),
      ),
    );
    for (const body of bodies) expect(body).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    const sets = JSON.parse(bodies[0] as string) as { goals: { source: { citation?: string } }[] }[];
    for (const goal of sets.flatMap((s) => s.goals)) expect(goal.source.citation).toBeTruthy();
  });
});
