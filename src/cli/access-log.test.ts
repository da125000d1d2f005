import { describe, expect, it } from 'vitest';
import { accessLog } from './access-log.js';

describe('accessLog', () => {
  it('writes the lines of one turn of the event loop together, in order, and nothing is lost', async () => {
    const writes: string[] = [];
    const log = accessLog((text) => writes.push(text));
    log('a\n');
    log('b\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    log('c\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });
});
