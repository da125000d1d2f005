// Statistics over an indicator's values: funnel, trend, inequality, standardised rates, learn-from.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import {
  type ComparisonLevel,
  funnelOf,
  geographicInequality,
  inequalityOf,
  learnFrom,
  standardisedRates,
  trendOf,
} from '../../analysis/index.js';
import type { Store } from '../../store/index.js';
import {
  analysisRoute as analysis,
  indicatorOr404,
  periodOrError,
  unitListOr404,
  unitsOr404,
} from '../route-helpers.js';

export function statisticsRoutes(app: OpenAPIHono, store: Store): void {
  app.openapi(
    analysis(
      '/api/indicators/{id}/funnel',
      'Funnel plot: every municipality (or region, health cluster, hospital, general practice) against Denmark with 95 % and 99.8 % control limits',
      z.object({
        period: z.string().optional(),
        level: z.enum(['municipality', 'region', 'health-cluster', 'hospital', 'gp-practice', 'gp-cluster']).optional(),
      }),
      'Points, flags and the limit curves',
    ),
    async (c) => {
      const { period, level } = c.req.valid('query') as { period?: string; level?: ComparisonLevel };
      const p = periodOrError(period);
      return c.json(
        await funnelOf(store, await indicatorOr404(store, c.req.valid('param').id), {
          ...(p ? { period: p } : {}),
          ...(level ? { level } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/trend',
      'Yearly series of a unit with the change per year and a test for trend',
      z.object({ unit: z.string().default('DK') }),
      'Series and trend',
    ),
    async (c) => {
      const { unit } = c.req.valid('query') as { unit: string };
      const indicator = await indicatorOr404(store, c.req.valid('param').id);
      await unitsOr404(store, [unit]);
      return c.json(await trendOf(store, indicator, unit), 200);
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/inequality',
      'Inequality by education (basic vs higher) or income (poorest vs richest quarter): ratio and difference between the extreme groups, SII and RII with intervals',
      z.object({
        unit: z.string().default('DK'),
        period: z.string().optional(),
        by: z.enum(['education', 'income']).default('education'),
      }),
      'Inequality measures',
    ),
    async (c) => {
      const { unit, period, by } = c.req.valid('query') as {
        unit: string;
        period?: string;
        by: 'education' | 'income';
      };
      await unitsOr404(store, [unit]);
      return c.json(
        await inequalityOf(
          store,
          await indicatorOr404(store, c.req.valid('param').id),
          unit,
          periodOrError(period),
          by,
        ),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/geography',
      'Inequality by place: municipalities (or regions) ranked and split into fifths; worst fifth against best (ratio and difference with 95 % intervals) and the range',
      z.object({
        period: z.string().optional(),
        level: z.enum(['municipality', 'region']).optional(),
        within: z.string().optional().openapi({ description: 'a region code: only its municipalities' }),
      }),
      'Fifths, ratio, difference and range',
    ),
    async (c) => {
      const { period, level, within } = c.req.valid('query') as {
        period?: string;
        level?: 'municipality' | 'region';
        within?: string;
      };
      const p = periodOrError(period);
      if (within) await unitsOr404(store, [within]);
      return c.json(
        await geographicInequality(store, await indicatorOr404(store, c.req.valid('param').id), {
          ...(p ? { period: p } : {}),
          ...(level ? { level } : {}),
          ...(within ? { within } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/standardised',
      'Directly age-standardised rates (Dobson intervals) with the European Standard Population 2013 or Denmark in a chosen year',
      z.object({
        period: z.string(),
        standard: z.string().default('european-2013').openapi({ example: 'denmark-2020' }),
        unit: z.string().optional(),
      }),
      'Standardised rates by unit',
    ),
    async (c) => {
      const { period, standard, unit } = c.req.valid('query') as { period: string; standard: string; unit?: string };
      const p = periodOrError(period) as string;
      const units = await unitListOr404(store, unit);
      return c.json(
        await standardisedRates(store, await indicatorOr404(store, c.req.valid('param').id), {
          period: p,
          standard,
          ...(units ? { units } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    analysis(
      '/api/indicators/{id}/learn-from',
      'Peers (same region, or all) that do significantly better than the unit',
      z.object({ unit: z.string(), period: z.string().optional(), peers: z.enum(['region', 'all']).optional() }),
      'Better peers',
    ),
    async (c) => {
      const { unit, period, peers } = c.req.valid('query') as {
        unit: string;
        period?: string;
        peers?: 'region' | 'all';
      };
      const p = periodOrError(period);
      await unitsOr404(store, [unit]);
      return c.json(
        await learnFrom(store, await indicatorOr404(store, c.req.valid('param').id), unit, {
          ...(p ? { period: p } : {}),
          ...(peers ? { peers } : {}),
        }),
        200,
      );
    },
  );
}
