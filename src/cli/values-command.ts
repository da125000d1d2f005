// `pejling values`: stored values with the same fields as the API.
import type { Command } from 'commander';
import { NotFoundError, normalisePeriod, UserError } from '../domain/index.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';

export function registerValuesCommand(program: Command): void {
  program
    .command('values')
    .description('print stored values of an indicator (fields as the API: value, ciLow, ciHigh, comparison, …)')
    .requiredOption('--indicator <id>', 'indicator id')
    .option('--unit <code>', 'unit code (DK, 1081-1085, a municipality code)')
    .option('--period <p>', 'period, e.g. 2024, 2024Q1')
    .option('--breakdown <b>', 'breakdown, e.g. total, sex:F, age_group:65-69, education:basic')
    .option('--format <format>', 'json, csv or xlsx', 'json')
    .option('--csv-style <style>', 'international (, and .) or danish (; and decimal comma)', 'international')
    .option('--out <file>', 'write to a file instead of stdout (needed for xlsx)')
    .action(
      async (options: {
        indicator: string;
        unit?: string;
        period?: string;
        breakdown?: string;
        format: string;
        csvStyle: string;
        out?: string;
      }) => {
        if (!['json', 'csv', 'xlsx'].includes(options.format))
          throw new UserError(`--format must be json, csv or xlsx; got '${options.format}'`);
        if (options.csvStyle !== 'international' && options.csvStyle !== 'danish') {
          throw new UserError(`--csv-style must be international or danish; got '${options.csvStyle}'`);
        }
        let period: string | undefined;
        if (options.period !== undefined) {
          period = normalisePeriod(options.period);
          if (!period)
            throw new UserError(`'${options.period}' is not a period`, {
              hint: 'Use 2024, 2024Q1, 2024M01 or 2024W05.',
            });
        }
        const opts = program.opts<GlobalOptions>();
        const store = await openCommandStore(opts.store);
        try {
          const indicator = await store.getIndicator(options.indicator);
          if (!indicator)
            throw new NotFoundError(
              'Indicator',
              options.indicator,
              '`pejling catalogue list` or GET /api/indicators lists them.',
            );
          if (options.unit && !(await store.listOrgUnits()).some((u) => u.code === options.unit))
            throw new NotFoundError('Unit', options.unit, '`pejling units list` lists the units.');
          const [{ valueRows }, { valuesToCsv, valuesToXlsx }] = await Promise.all([
            import('../analysis/index.js'),
            import('../ingest/index.js'),
          ]);
          const rows = await valueRows(store, indicator, {
            ...(options.unit ? { unit: options.unit } : {}),
            ...(period ? { period } : {}),
            ...(options.breakdown ? { breakdown: options.breakdown } : {}),
          });
          let output: string | Buffer;
          if (options.format === 'xlsx') {
            if (!options.out) throw new UserError('XLSX is binary; give --out FILE');
            output = await valuesToXlsx(rows, indicator.id);
          } else if (options.format === 'csv') {
            output = valuesToCsv(rows, options.csvStyle);
          } else {
            output = `${JSON.stringify(rows, null, 2)}\n`;
          }
          if (options.out) {
            const { writeFile } = await import('node:fs/promises');
            await writeFile(options.out, output);
            process.stderr.write(`Wrote ${rows.length} rows to ${options.out}\n`);
          } else {
            process.stdout.write(output);
          }
        } finally {
          await store.close();
        }
      },
    );
}
