import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readTable } from './read-table.js';

/** A CSV of `rows` lines with Danish decimals, blank lines and a line ending of its own. */
function longCsv(rows: number, newline: string): string {
  const lines = ['\uFEFFindicator;unit;period;value'];
  for (let i = 0; i < rows; i++)
    lines.push(i % 500 === 7 ? '' : `hospital-productivity; ${100 + (i % 98)} ;${2000 + (i % 90)};${i},5`);
  return lines.join(newline);
}

/** The rows csv-parse gives for the whole text at once, with the options readTable uses. */
const parsedWhole = (text: string): string[][] =>
  parse(text, { delimiter: ';', relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });

describe('readTable on a long CSV read in slices', () => {
  it.each(['\n', '\r\n'])('gives the rows csv-parse gives for the whole text (line ending %j)', async (newline) => {
    const text = longCsv(20_000, newline);
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    const grid = await readTable('long.csv', new TextEncoder().encode(text));
    const whole = parsedWhole(text);
    expect(grid.header).toEqual(whole[0]);
    expect(grid.rows.map((r) => r.cells)).toEqual(whole.slice(1));
  });

  it('reads a quoted field that spans lines, wherever it lies', async () => {
    const lines = longCsv(20_000, '\n').split('\n');
    for (const at of [1_700, 1_750, 1_800, 15_000]) lines[at] = `hospital-productivity;101;"20\n20";1,5`;
    const text = lines.join('\n');
    const grid = await readTable('long.csv', new TextEncoder().encode(text));
    const whole = parsedWhole(text);
    expect(grid.rows.map((r) => r.cells)).toEqual(whole.slice(1));
    expect(grid.rows.filter((r) => r.cells[2] === '20\n20')).toHaveLength(4);
  });
});
