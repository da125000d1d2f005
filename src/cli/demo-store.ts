// What `pejling start` puts in an empty store: a synthetic registry, the register indicators computed from it,
// and synthetic aggregate values (marked synthetic) for every indicator that is not computed from the register.
import { existsSync } from 'node:fs';
import { computeRegisterIndicators } from '../engine/index.js';
import { writeSyntheticRegistry } from '../engine/synthetic-registry.js';
import { importSyntheticAggregates } from '../ingest/index.js';
import type { Store } from '../store/index.js';
import { progressBar, step, stepProgress } from './progress.js';

export interface DemoOptions {
  /** Folder of the synthetic registry (written on the first start, reused later). */
  demoDir: string;
  persons: number;
  fromYear: number;
  toYear: number;
  catalogueDir: string;
  /** Quiet: no progress lines (tests). */
  quiet?: boolean;
}

/**
 * Fills what is missing: register values when the store has none, synthetic aggregates when nothing was ever
 * imported (so real imports are never mixed with demo values).
 * @example await prepareDemoStore(store, { demoDir: 'data/demo-registry', persons: 100_000, fromYear: 2015, toYear: 2025 })
 */
export async function prepareDemoStore(store: Store, options: DemoOptions): Promise<void> {
  const say = options.quiet ? () => {} : step;
  const catalogue = { catalogueDir: options.catalogueDir };
  if ((await store.info()).valueCount === 0) {
    if (!existsSync(`${options.demoDir}/hospital_courses.csv`)) {
      say(
        `First start: writing a synthetic demo registry (${options.persons.toLocaleString('da-DK')} persons) to ${options.demoDir}`,
      );
      await writeSyntheticRegistry({
        outDir: options.demoDir,
        persons: options.persons,
        fromYear: options.fromYear,
        toYear: options.toYear,
        seed: 1,
        ...catalogue,
        ...(options.quiet ? {} : { onProgress: progressBar('Persons') }),
      });
    }
    say('Computing the register indicators from the demo registry');
    const summary = await computeRegisterIndicators({
      store,
      dataDir: options.demoDir,
      ...catalogue,
      ...(options.quiet ? {} : { onProgress: stepProgress('Computing') }),
    });
    say(`Computed ${summary.indicators.length} indicators in ${summary.seconds.toFixed(1)} s`);
  }
  if ((await store.listImports()).length === 0) {
    say('Importing synthetic demo values for the indicators that are not computed from register data');
    const report = await importSyntheticAggregates(store, {
      fromYear: options.fromYear,
      toYear: options.toYear,
      seed: 1,
      ...catalogue,
    });
    say(`Imported ${report.values} synthetic values (marked synthetic)`);
  }
}
