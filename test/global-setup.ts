// One folder per test run for what several test files share: demo stores computed once (see demoStore in
// helpers.ts), removed when the run ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pejling-shared-'));
  project.provide('sharedDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
