// `pejling catalogue validate|list` and `pejling init`.
import type { Command } from 'commander';
import { loadCatalogue, targetsOf } from '../catalogue/index.js';
import { openStore, resolveStorePath } from '../store/index.js';
import type { GlobalOptions } from './main.js';

export function registerCatalogueCommands(program: Command): void {
  const catalogue = program.command('catalogue').description('check and list the goal catalogue');

  catalogue
    .command('validate')
    .description('validate every catalogue file and the references between them')
    .action(async () => {
      const opts = program.opts<GlobalOptions>();
      const loaded = await loadCatalogue(opts.catalogue);
      const targets = targetsOf(loaded.goalSets).length;
      process.stdout.write(
        `Catalogue OK: ${loaded.goalSets.length} goal sets, ${loaded.goalSets.reduce((n, s) => n + s.goals.length, 0)} goals, ` +
          `${targets} targets, ${loaded.indicators.length} indicators, ${loaded.units.length} units, ${loaded.links.length} goal links, ` +
          `${loaded.qualityStandards?.length ?? 0} quality standards\n`,
      );
    });

  catalogue
    .command('list')
    .description('list the goal sets with their goals and targets')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const opts = program.opts<GlobalOptions>();
      const loaded = await loadCatalogue(opts.catalogue);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(loaded.goalSets, null, 2)}\n`);
        return;
      }
      for (const set of loaded.goalSets) {
        process.stdout.write(
          `${set.id}  ${set.name.da} (${set.level}, ${set.owner}, ${set.period.from}-${set.period.to ?? ''})\n`,
        );
        for (const goal of set.goals) {
          process.stdout.write(`  ${goal.id}  ${goal.name.da}\n`);
          for (const t of goal.targets) process.stdout.write(`    - ${t.id}: ${t.name.da} [${t.kind}]\n`);
        }
      }
    });

  program
    .command('init')
    .description('create the store (or migrate it) and load the catalogue into it')
    .action(async () => {
      const opts = program.opts<GlobalOptions>();
      const storePath = resolveStorePath(opts.store);
      const loaded = await loadCatalogue(opts.catalogue);
      const store = await openStore(storePath);
      try {
        await store.replaceCatalogue(loaded);
        const info = await store.info();
        process.stdout.write(
          `Store ${store.location} ready (schema v${info.schemaVersion}): ${loaded.goalSets.length} goal sets, ` +
            `${loaded.indicators.length} indicators, ${loaded.units.length} units loaded\n`,
        );
      } finally {
        await store.close();
      }
    });
}
