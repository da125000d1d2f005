// One axis of an indicator's table (units, periods or breakdowns) with its additive relations as data.

/** `total = Σ parts` between coordinates of one axis, holding at every position on the other axes. */
export interface AxisRelation {
  total: number;
  parts: number[];
}

/** An axis: its coordinates (unit codes, period codes or breakdown codes) and the relations between them. */
export interface Dimension {
  name: 'unit' | 'period' | 'breakdown';
  coords: string[];
  relations: AxisRelation[];
}

/** Builds a dimension from coordinate codes and relations given by code; relations with no part present are left out. */
export function dimension(
  name: Dimension['name'],
  coords: readonly string[],
  relations: readonly { total: string; parts: readonly string[] }[],
): Dimension {
  const index = new Map(coords.map((c, i) => [c, i]));
  const out: AxisRelation[] = [];
  for (const r of relations) {
    const total = index.get(r.total);
    if (total === undefined) continue;
    const parts = r.parts.map((p) => index.get(p)).filter((p): p is number => p !== undefined && p !== total);
    if (parts.length > 0) out.push({ total, parts });
  }
  return { name, coords: [...coords], relations: out };
}
