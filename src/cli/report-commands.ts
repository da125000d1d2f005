// `pejling report` and `pejling pocket-card`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../domain/errors.js';
import { openCommandStore } from './command-store.js';
import type { GlobalOptions } from './main.js';
import { progressBar } from './progress.js';

// The report module (HTML templates, the PDF browser) is loaded by the commands that use it, so that other
// commands, an import above all, do not carry it in memory.
const reportModule = () => import('../report/index.js');

function parseYear(text: string | undefined): number {
  if (text === undefined) return new Date().getFullYear() - 1;
  if (!/^\d{4}$/.test(text)) throw new UserError(`--year must be a year like 2024; got '${text}'`);
  return Number(text);
}

function parseFormat(text: string): 'html' | 'pdf' {
  if (text !== 'html' && text !== 'pdf') throw new UserError(`--format must be html or pdf; got '${text}'`);
  return text;
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description(
      'write the annual status report for a unit (or --all units), or --kind inequality: the inequality report, as HTML or PDF',
    )
    .option('--kind <status|inequality>', 'status report, or inequality by education, income and place', 'status')
    .option('--unit <code>', 'DK, a region or a municipality', 'DK')
    .option('--year <yyyy>', 'report year (default: last year)')
    .option('--goal-set <id>', 'only this goal set')
    .option('--format <html|pdf>', 'output format', 'pdf')
    .option('--out <file>', 'output file (with --all: a folder)')
    .option('--all', 'reports for all 104 units into the --out folder')
    .action(
      async (options: {
        kind: string;
        unit: string;
        year?: string;
        goalSet?: string;
        format: string;
        out?: string;
        all?: boolean;
      }) => {
        const format = parseFormat(options.format);
        const year = parseYear(options.year);
        if (!options.out) throw new UserError('Give --out FILE (or --out FOLDER with --all)');
        if (options.kind !== 'status' && options.kind !== 'inequality')
          throw new UserError(`--kind must be status or inequality; got '${options.kind}'`);
        if (options.kind === 'inequality' && (options.all || options.goalSet))
          throw new UserError('The inequality report takes neither --all nor --goal-set', {
            hint: 'Give --unit DK (the default) or a region code.',
          });
        const { gatherInequality, gatherReport, htmlToPdf, renderInequalityHtml, renderReportHtml } =
          await reportModule();
        const store = await openCommandStore(program.opts<GlobalOptions>().store);
        try {
          if (options.kind === 'inequality') {
            const html = renderInequalityHtml(await gatherInequality(store, { unit: options.unit, year }));
            const [output] = format === 'pdf' ? await htmlToPdf([html]) : [html];
            await writeFile(options.out, output as string | Buffer);
            process.stdout.write(`Wrote the ${format.toUpperCase()} inequality report: ${options.out}\n`);
            return;
          }
          const units = options.all
            ? (await store.listOrgUnits({ at: new Date().toISOString().slice(0, 10) })).map((u) => u.code)
            : [options.unit];
          const started = performance.now();
          const bar = options.all ? progressBar('Reports') : undefined;
          const htmls: string[] = [];
          for (const [i, unit] of units.entries()) {
            htmls.push(
              renderReportHtml(
                await gatherReport(store, { unit, year, ...(options.goalSet ? { goalSet: options.goalSet } : {}) }),
              ),
            );
            if (format === 'html') bar?.(i + 1, units.length);
          }
          const files = options.all
            ? units.map((u) => path.join(options.out as string, `statusrapport-${year}-${u}.${format}`))
            : [options.out];
          if (options.all) await mkdir(options.out, { recursive: true });
          const outputs = format === 'pdf' ? await htmlToPdf(htmls, bar) : htmls;
          for (const [i, file] of files.entries()) await writeFile(file, outputs[i] as string | Buffer);
          process.stdout.write(
            `Wrote ${files.length} ${format.toUpperCase()} report(s) in ${((performance.now() - started) / 1000).toFixed(1)} s${files.length === 1 ? `: ${files[0]}` : ` to ${options.out}`}\n`,
          );
        } finally {
          await store.close();
        }
      },
    );

  program
    .command('pocket-card')
    .description('write a one-page pocket card (lommekort) with chosen indicators for a unit')
    .requiredOption('--unit <code>', 'unit code')
    .requiredOption('--indicators <ids>', 'comma-separated indicator ids')
    .option('--title <text>', 'card title')
    .option('--format <html|pdf>', 'output format', 'pdf')
    .requiredOption('--out <file>', 'output file')
    .action(async (options: { unit: string; indicators: string; title?: string; format: string; out: string }) => {
      const format = parseFormat(options.format);
      const { htmlToPdf, renderPocketCard } = await reportModule();
      const store = await openCommandStore(program.opts<GlobalOptions>().store);
      try {
        const html = await renderPocketCard(store, {
          unit: options.unit,
          indicators: options.indicators
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          ...(options.title ? { title: options.title } : {}),
        });
        const [output] = format === 'pdf' ? await htmlToPdf([html]) : [html];
        await writeFile(options.out, output as string | Buffer);
        process.stdout.write(`Wrote ${options.out}\n`);
      } finally {
        await store.close();
      }
    });
}
