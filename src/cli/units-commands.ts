// `pejling units list|import`: the units in force on a date, and groupings (dated memberships) from CSV/XLSX.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { orgUnitTypeSchema } from '../catalogue/index.js';
import { UserError } from '../domain/errors.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';

export function registerUnitsCommands(program: Command): void {
  const units = program.command('units').description('organisation units, their structure over time and groupings');

  units
    .command('list')
    .description('list the units in force on a date (default today), with their parent then')
    .option('--at <date>', 'ISO date, e.g. 2027-01-01')
    .addOption(new Option('--type <type>', 'only units of this type').choices(orgUnitTypeSchema.options))
    .action(async (options: { at?: string; type?: (typeof orgUnitTypeSchema.options)[number] }) => {
      const opts = program.opts<GlobalOptions>();
      if (options.at && !/^\d{4}-\d{2}-\d{2}$/.test(options.at))
        throw new UserError(`--at '${options.at}' is not a date`, { hint: 'Use YYYY-MM-DD, e.g. 2027-01-01.' });
      const store = await openCommandStore(opts.store);
      try {
        const list = await store.listOrgUnits({
          at: options.at ?? new Date().toISOString().slice(0, 10),
          ...(options.type ? { type: options.type } : {}),
        });
        for (const u of list)
          process.stdout.write(
            `${u.code}\t${u.type}\t${u.parent ?? ''}\t${u.name}${u.confidence && u.confidence !== 'confirmed' ? ` (${u.confidence})` : ''}\n`,
          );
      } finally {
        await store.close();
      }
    });

  units
    .command('import')
    .description('import a grouping (group, member, valid_from, valid_to, confidence) from CSV or XLSX, all or nothing')
    .argument('<file>', 'CSV or XLSX file with one membership a row')
    .requiredOption('--grouping <id>', 'the grouping id, e.g. sundhedsraad-2027 (replaces an earlier import of it)')
    .option('--name <da>', 'the grouping name in Danish')
    .option('--name-en <en>', 'the grouping name in English')
    .addOption(
      new Option('--group-type <type>', 'the type of the group units (default: as stored)').choices(
        orgUnitTypeSchema.options,
      ),
    )
    .addOption(
      new Option(
        '--member-type <type>',
        'the type of member units the file introduces (rows with member_name)',
      ).choices(orgUnitTypeSchema.options),
    )
    .option('--no-partitions-persons', 'members may be in more than one group at a time (groups do not add up)')
    .option('--parent-of-members', 'the group is its members\u2019 parent while a membership lasts (a new structure)')
    .action(
      async (
        file: string,
        options: {
          grouping: string;
          name?: string;
          nameEn?: string;
          groupType?: (typeof orgUnitTypeSchema.options)[number];
          memberType?: (typeof orgUnitTypeSchema.options)[number];
          partitionsPersons: boolean;
          parentOfMembers?: boolean;
        },
      ) => {
        const opts = program.opts<GlobalOptions>();
        if (!/^[a-z0-9][a-z0-9-]*$/.test(options.grouping))
          throw new UserError(`--grouping '${options.grouping}' is not an id`, {
            hint: 'Use lower-case letters, digits and dashes, e.g. sundhedsraad-2027.',
          });
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch {
          throw new UserError(`Cannot read ${file}`, { hint: 'Check the path.' });
        }
        const { groupingFromGrid, readTable } = await import('../ingest/index.js');
        const grid = await readTable(path.basename(file), bytes);
        const store = await openCommandStore(opts.store);
        try {
          const existing = (await store.listGroupings()).find((g) => g.id === options.grouping);
          const { grouping, newUnits } = groupingFromGrid(
            grid,
            path.basename(file),
            {
              id: options.grouping,
              ...(options.name ? { name: { da: options.name, en: options.nameEn ?? options.name } } : {}),
              ...(options.groupType ? { groupType: options.groupType } : {}),
              ...(options.memberType ? { memberType: options.memberType } : {}),
              partitionsPersons: options.partitionsPersons,
              ...(options.parentOfMembers ? { parentOfMembers: true } : {}),
            },
            await store.listOrgUnits(),
            existing,
          );
          await store.saveGrouping(grouping, newUnits);
          process.stdout.write(
            `Imported grouping ${grouping.id}: ${grouping.memberships.length} memberships in ` +
              `${new Set(grouping.memberships.map((m) => m.group)).size} groups` +
              `${newUnits.length ? `, ${newUnits.length} new unit(s)` : ''}` +
              `${grouping.partitionsPersons ? '' : ' (members may overlap)'}\n`,
          );
        } finally {
          await store.close();
        }
      },
    );
}
