// Progress output: a bar redrawn in place on a terminal, plain lines per step and tenth elsewhere, time left.
import { describe, expect, it } from 'vitest';
import { formatTimeLeft, progressBar, progressDisplay } from './progress.js';

function capture(isTTY: boolean) {
  const writes: string[] = [];
  let clock = 0;
  return {
    writes,
    tick: (ms: number) => {
      clock += ms;
    },
    options: { output: { isTTY, write: (text: string) => writes.push(text) }, now: () => clock },
  };
}

describe('progress', () => {
  it('estimates the time left from the time so far', () => {
    const out = capture(false);
    const show = progressDisplay('Computing', out.options);
    out.tick(10_000);
    show(0.25, 'Reading hospital_courses.parquet');
    // A quarter in 10 s: three quarters take another 30 s.
    expect(out.writes).toEqual(['Computing: 25% Reading hospital_courses.parquet · about 30 s left\n']);
  });

  it('writes plain lines at each new step and tenth, not on every call, in a pipe', () => {
    const out = capture(false);
    const show = progressDisplay('Computing', out.options);
    show(0, 'Reading');
    show(0.01, 'Reading');
    show(0.05, 'Reading');
    show(0.12, 'Reading');
    show(0.13, 'Building admissions');
    show(1, 'Writing');
    show(1, 'Writing');
    expect(out.writes.map((w) => w.split(' ')[1])).toEqual(['0%', '12%', '13%', '100%']);
    expect(out.writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
  });

  it('redraws one bar in place on a terminal and ends it with a new line', () => {
    const out = capture(true);
    const bar = progressBar('Persons', out.options);
    bar(1, 4);
    bar(4, 4);
    expect(out.writes[0]).toBe(`\rPersons [${'='.repeat(8)}${' '.repeat(22)}]  25% 1/4\x1b[K`);
    expect(out.writes[1]).toBe(`\rPersons [${'='.repeat(30)}] 100% 4/4\x1b[K`);
    expect(out.writes[2]).toBe('\n');
  });

  it('formats seconds, minutes and hours', () => {
    expect(formatTimeLeft(0.2)).toBe('about 1 s left');
    expect(formatTimeLeft(80)).toBe('about 1 min 20 s left');
    expect(formatTimeLeft(3 * 3600 + 5 * 60)).toBe('about 3 h 5 min left');
  });
});
