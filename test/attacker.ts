// An outsider's attack on published values, written apart from src/disclosure: it rebuilds the additive
// relations from the rows themselves (geography, breakdown totals, year = Σ quarters), then narrows every
// hidden count by iterated differencing and interval bounds (hidden counts are ≥ 0), and, on small tables,
// finds the hidden counts that some linear combination of the relations determines exactly.

export interface PublishedRow {
  unit: string;
  period: string;
  breakdown: string;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
}

export interface Bounds {
  low: number;
  high: number;
}

type Field = 'numerator' | 'denominator';

/**
 * The relations as lists of row indices: rows[total] = Σ rows[parts]. Besides the parents, `unitGroups` are further
 * unit totals an outsider knows the members of (a health cluster = Σ its municipalities, Denmark = Σ hospitals).
 */
export function relationsOf(
  rows: readonly PublishedRow[],
  parentOf: ReadonlyMap<string, string | null>,
  unitGroups: readonly { total: string; members: readonly string[] }[] = [],
): { total: number; parts: number[] }[] {
  const key = (u: string, p: string, b: string) => `${u}|${p}|${b}`;
  const index = new Map(rows.map((r, i) => [key(r.unit, r.period, r.breakdown), i]));
  const groups = new Map<string, { total: number | undefined; parts: number[]; totalKey: string }>();
  const add = (groupKey: string, totalKey: string, part: number) => {
    let g = groups.get(groupKey);
    if (!g) {
      g = { total: index.get(totalKey), parts: [], totalKey };
      groups.set(groupKey, g);
    }
    g.parts.push(part);
  };
  const groupsOf = new Map<string, string[]>();
  for (const [g, group] of unitGroups.entries())
    for (const m of group.members) groupsOf.set(m, [...(groupsOf.get(m) ?? []), `${g}`]);
  for (const [i, r] of rows.entries()) {
    for (const g of groupsOf.get(r.unit) ?? []) {
      const total = (unitGroups[Number(g)] as { total: string }).total;
      add(`group${g}|${r.period}|${r.breakdown}`, key(total, r.period, r.breakdown), i);
    }
    const parent = parentOf.get(r.unit);
    if (parent) add(`geo|${parent}|${r.period}|${r.breakdown}`, key(parent, r.period, r.breakdown), i);
    const colon = r.breakdown.indexOf(':');
    if (colon > 0) add(`bd|${r.unit}|${r.period}|${r.breakdown.slice(0, colon)}`, key(r.unit, r.period, 'total'), i);
    const quarter = /^(\d{4})Q[1-4]$/.exec(r.period);
    if (quarter) add(`time|${r.unit}|${quarter[1]}|${r.breakdown}`, key(r.unit, quarter[1] as string, r.breakdown), i);
  }
  return [...groups.values()].flatMap((g) => (g.total === undefined ? [] : [{ total: g.total, parts: g.parts }]));
}

/** Interval bounds of every row's `field`, iterated to a fixpoint (visible rows are exact). */
export function intervalAttack(
  rows: readonly PublishedRow[],
  relations: readonly { total: number; parts: number[] }[],
  field: Field,
): Bounds[] {
  const bounds: Bounds[] = rows.map((r) => {
    const v = r[field];
    return v === null ? { low: 0, high: Number.POSITIVE_INFINITY } : { low: v, high: v };
  });
  const byRow = rows.map(() => [] as number[]);
  for (const [k, rel] of relations.entries()) {
    byRow[rel.total]?.push(k);
    for (const p of rel.parts) byRow[p]?.push(k);
  }
  const queue = relations.map((_, k) => k);
  const queued = new Set(queue);
  let steps = 0;
  while (queue.length && steps++ < 5_000_000) {
    const k = queue.shift() as number;
    queued.delete(k);
    const rel = relations[k] as { total: number; parts: number[] };
    const t = bounds[rel.total] as Bounds;
    // Unbounded parts are counted apart, so that ∞ − ∞ never makes a bound NaN.
    let sumLow = 0;
    let finiteHigh = 0;
    let unbounded = 0;
    for (const p of rel.parts) {
      const b = bounds[p] as Bounds;
      sumLow += b.low;
      if (b.high === Number.POSITIVE_INFINITY) unbounded++;
      else finiteHigh += b.high;
    }
    const sumHigh = unbounded > 0 ? Number.POSITIVE_INFINITY : finiteHigh;
    const othersHigh = (b: Bounds) =>
      b.high === Number.POSITIVE_INFINITY
        ? unbounded > 1
          ? Number.POSITIVE_INFINITY
          : finiteHigh
        : unbounded > 0
          ? Number.POSITIVE_INFINITY
          : finiteHigh - b.high;
    const changed: number[] = [];
    const tighten = (i: number, low: number, high: number) => {
      const b = bounds[i] as Bounds;
      const nl = Math.max(b.low, Math.ceil(low - 1e-9));
      const nh = Math.min(b.high, Math.floor(high + 1e-9));
      if (nl > b.low || nh < b.high) {
        if (nl > nh) return; // the relation does not hold for this field: ignore it
        b.low = nl;
        b.high = nh;
        changed.push(i);
      }
    };
    tighten(rel.total, sumLow, sumHigh);
    for (const p of rel.parts) {
      const b = bounds[p] as Bounds;
      tighten(p, t.low - othersHigh(b), t.high - (sumLow - b.low));
    }
    for (const i of changed)
      for (const other of byRow[i] ?? [])
        if (!queued.has(other)) {
          queued.add(other);
          queue.push(other);
        }
  }
  return bounds;
}

/**
 * The hidden rows whose `field` is determined exactly by the relations (Gaussian elimination over the
 * rationals, in floating point with a tolerance; for small tables).
 */
export function exactlyDetermined(
  rows: readonly PublishedRow[],
  relations: readonly { total: number; parts: number[] }[],
  field: Field,
): Map<number, number> {
  const hidden = rows.flatMap((r, i) => (r[field] === null ? [i] : []));
  const column = new Map(hidden.map((h, c) => [h, c]));
  const n = hidden.length;
  const matrix: number[][] = [];
  for (const rel of relations) {
    const row = new Array(n + 1).fill(0);
    let rhs = 0;
    let touches = false;
    const term = (i: number, coef: number) => {
      const c = column.get(i);
      if (c === undefined) rhs -= coef * (rows[i]?.[field] ?? 0);
      else {
        row[c] += coef;
        touches = true;
      }
    };
    term(rel.total, 1);
    for (const p of rel.parts) term(p, -1);
    row[n] = rhs;
    if (touches) matrix.push(row);
  }
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < n && r < matrix.length; c++) {
    let best = r;
    for (let k = r + 1; k < matrix.length; k++)
      if (Math.abs(matrix[k]?.[c] ?? 0) > Math.abs(matrix[best]?.[c] ?? 0)) best = k;
    if (Math.abs(matrix[best]?.[c] ?? 0) < 1e-9) continue;
    [matrix[r], matrix[best]] = [matrix[best] as number[], matrix[r] as number[]];
    const pr = matrix[r] as number[];
    const pv = pr[c] as number;
    for (let j = c; j <= n; j++) pr[j] = (pr[j] as number) / pv;
    for (let k = 0; k < matrix.length; k++) {
      if (k === r) continue;
      const row = matrix[k] as number[];
      const f = row[c] as number;
      if (Math.abs(f) < 1e-12) continue;
      for (let j = c; j <= n; j++) row[j] = (row[j] as number) - f * (pr[j] as number);
    }
    pivots[r] = c;
    r++;
  }
  const found = new Map<number, number>();
  for (let k = 0; k < r; k++) {
    const row = matrix[k] as number[];
    const c = pivots[k] as number;
    let alone = true;
    for (let j = 0; j < n; j++) if (j !== c && Math.abs(row[j] as number) > 1e-9) alone = false;
    if (alone) found.set(hidden[c] as number, row[n] as number);
  }
  return found;
}
