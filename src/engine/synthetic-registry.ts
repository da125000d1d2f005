// Writes a realistic synthetic registry (population, persons, hospital_courses, deaths) for demos and
// benchmarks: municipalities sized like the real ones, a Danish age pyramid, a social gradient by education,
// regional differences, ~10 % somatic and ~25 % psychiatric 30-day readmission with municipal trends (some
// improve, some do not), COPD/type 2 diabetes, and a rising share of virtual courses. Deterministic per seed,
// streamed to disk.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../domain/errors.js';
import { seededRandom } from '../stats/random.js';
import { AGE_GROUPS } from './register-input.js';
import { hospitalChooser } from './synthetic-hospitals.js';
import { syntheticPractices } from './synthetic-practices.js';

export interface SyntheticOptions {
  outDir: string;
  persons: number;
  fromYear: number;
  toYear: number;
  seed: number;
  catalogueDir: string;
  format?: 'csv' | 'parquet';
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticSummary {
  persons: number;
  courses: number;
  deaths: number;
  populationRows: number;
  seconds: number;
}

// Share of the population by five-year age group (Denmark around 2020, rounded).
const AGE_PYRAMID = [5.3, 5.5, 5.8, 5.9, 6.8, 6.6, 6.0, 5.8, 6.0, 6.9, 7.0, 6.6, 5.9, 5.6, 5.4, 4.2, 2.5, 2.2];
const EDUCATIONS = ['basic', 'vocational', 'higher', 'unknown'] as const;
type Education = (typeof EDUCATIONS)[number];
const EDUCATION_RATE: Record<Education, number> = { basic: 1.3, vocational: 1.05, higher: 0.82, unknown: 1.1 };
/** Hospital use by income quartile (1 = the poorest quarter), on top of education. */
const INCOME_RATE = [1.22, 1.07, 0.95, 0.86] as const;
/** Income scores by education: income quartiles follow education, with much individual variation. */
const EDUCATION_INCOME: Record<Education, number> = { basic: -0.6, vocational: 0, higher: 0.6, unknown: -0.2 };
/** Quartile cuts of the income score (about normal with sd 1: ±0.67 and 0). */
const quartileOf = (score: number): 1 | 2 | 3 | 4 => (score < -0.67 ? 1 : score < 0 ? 2 : score < 0.67 ? 3 : 4);
const REGION_RATE: Record<string, number> = { '1081': 1.08, '1082': 0.97, '1083': 1.03, '1084': 0.95, '1085': 1.07 };
const PREVENTABLE = ['DJ189', 'DJ15.9', 'DN390', 'DN30', 'DA09', 'DE86', 'DK590', 'DS720', 'DS52', 'DD509', 'DL89'];
const OTHER_SOMATIC = [
  'DI21',
  'DI50',
  'DI63',
  'DK35',
  'DK80',
  'DR10',
  'DR07',
  'DC50',
  'DC34',
  'DM16',
  'DZ03',
  'DO80',
  'DS06',
];
const PSYCHIATRIC = ['DF20', 'DF32', 'DF33', 'DF10', 'DF43', 'DF60', 'DF31'];
const COPD_CODES = ['DJ441', 'DJ449', 'J44.1', 'DJ440'];
const T2D_CODES = ['DE119', 'DE11.9', 'DE110', 'E11'];
const DAY = 86_400_000;

interface Municipality {
  code: string;
  region: string;
  weight: number;
  readmissionLevel: number;
  readmissionTrend: number;
  digital: number;
}

const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
const dayOf = (year: number, month = 1, date = 1) => Math.floor(Date.UTC(year, month - 1, date) / DAY);

function ageOn(birthDay: number, day: number): number {
  const b = new Date(birthDay * DAY);
  const d = new Date(day * DAY);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() * 100 + d.getUTCDate() < b.getUTCMonth() * 100 + b.getUTCDate()) age--;
  return age;
}
const ageGroupOf = (age: number) => (age >= 85 ? '85+' : AGE_GROUPS[Math.floor(age / 5)]);

/** A write stream that respects backpressure. */
class TableWriter {
  private buffer: string[] = [];
  private size = 0;
  constructor(private readonly stream: WriteStream) {}
  static open(file: string, header: string): TableWriter {
    const writer = new TableWriter(createWriteStream(file, { encoding: 'utf8' }));
    writer.buffer.push(`${header}\n`);
    return writer;
  }
  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

async function readMunicipalities(catalogueDir: string, rng: ReturnType<typeof seededRandom>): Promise<Municipality[]> {
  const text = await readFile(path.join(catalogueDir, 'demo/municipality-population.csv'), 'utf8');
  const unitsText = await readFile(path.join(catalogueDir, 'org-units.yaml'), 'utf8');
  const regionOf = new Map<string, string>();
  for (const match of unitsText.matchAll(/code: "(\d+)", name: [^,]+, type: municipality, parent: "(\d+)"/g)) {
    regionOf.set(match[1] as string, match[2] as string);
  }
  return text
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => {
      const [code, , thousands] = line.split(',');
      return {
        code: code as string,
        region: regionOf.get(code as string) ?? '1084',
        weight: Number(thousands),
        readmissionLevel: Math.exp(rng.normal(0, 0.12)),
        readmissionTrend: rng.normal(-0.015, 0.03),
        digital: Math.exp(rng.normal(0, 0.25)),
      };
    });
}

/**
 * Generates the four record-level tables into `outDir`.
 * @example await writeSyntheticRegistry({ outDir: 'data/demo', persons: 100_000, fromYear: 2015, toYear: 2025, seed: 1, catalogueDir })
 */
export async function writeSyntheticRegistry(options: SyntheticOptions): Promise<SyntheticSummary> {
  const started = performance.now();
  const { fromYear, toYear, persons } = options;
  if (!Number.isInteger(persons) || persons < 1)
    throw new UserError(`--persons must be a positive whole number; got ${persons}`);
  if (!(fromYear >= 1900 && toYear >= fromYear && toYear <= 2100)) {
    throw new UserError(`--years must be like 2015-2025 (first ≤ last, 1900-2100); got ${fromYear}-${toYear}`);
  }
  const rng = seededRandom(options.seed);
  // Income has its own sequence, so the other draws are the same with or without it.
  const incomeRng = seededRandom(options.seed * 7919 + 17);
  const municipalities = await readMunicipalities(options.catalogueDir, rng);
  // Hospitals draw from their own stream, so the rest of the registry is the same whatever the hospitals are.
  const hospitalOf = await hospitalChooser(options.catalogueDir, seededRandom(options.seed + 1));
  const practices = syntheticPractices(municipalities, seededRandom(options.seed + 2));
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (const m of municipalities) {
    totalWeight += m.weight;
    cumulative.push(totalWeight);
  }
  const pickMunicipality = (): Municipality => {
    const x = rng.next() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return municipalities[lo] as Municipality;
  };
  const pyramidTotal = AGE_PYRAMID.reduce((a, b) => a + b, 0);
  const pickAge = () => {
    let x = rng.next() * pyramidTotal;
    for (const [i, w] of AGE_PYRAMID.entries()) {
      x -= w;
      if (x < 0) return i === 17 ? 85 + Math.floor(rng.next() * 15) : i * 5 + Math.floor(rng.next() * 5);
    }
    return 40;
  };

  await mkdir(options.outDir, { recursive: true });
  const csv = (name: string) => path.join(options.outDir, `${name}.csv`);
  const personsOut = TableWriter.open(csv('persons'), 'person_id,birth_date,sex,education,gp_practice');
  const coursesOut = TableWriter.open(
    csv('hospital_courses'),
    'course_id,person_id,municipality_code,hospital_code,admission_date,discharge_date,acute,inpatient,psychiatric,virtual,primary_diagnosis',
  );
  const deathsOut = TableWriter.open(csv('deaths'), 'person_id,death_date');
  const incomeOut = TableWriter.open(csv('income'), 'person_id,year,income_quartile');
  const population = new Map<string, number>();
  const periodStart = dayOf(fromYear);
  const periodEnd = dayOf(toYear, 12, 31);
  const referenceYear = Math.round((fromYear + toYear) / 2);
  let courseCount = 0;
  let deathCount = 0;

  for (let p = 0; p < persons; p++) {
    const personId = `P${p + 1}`;
    const home = pickMunicipality();
    const age = pickAge();
    const birthDay = dayOf(referenceYear - age) - 1 - rng.int(365);
    const sex = rng.chance(0.5) ? 'M' : 'F';
    const higherBoost = home.region === '1084' ? 0.1 : 0;
    const e = rng.next();
    const education: Education =
      age >= 70
        ? e < 0.45
          ? 'basic'
          : e < 0.8
            ? 'vocational'
            : e < 0.95 - higherBoost / 2
              ? 'higher'
              : 'unknown'
        : e < 0.27 - higherBoost
          ? 'basic'
          : e < 0.6 - higherBoost
            ? 'vocational'
            : e < 0.96
              ? 'higher'
              : 'unknown';
    const incomeScore = EDUCATION_INCOME[education] + incomeRng.normal(0, 0.78);
    const incomeRate = INCOME_RATE[quartileOf(incomeScore) - 1] ?? 1;
    // A move to another municipality (mostly within the region) for 4 %.
    const moveDay = rng.chance(0.04) ? periodStart + rng.int(periodEnd - periodStart) : undefined;
    const sameRegion = municipalities.filter((m) => m.region === home.region && m.code !== home.code);
    const movedTo =
      moveDay === undefined ? home : rng.chance(0.7) && sameRegion.length ? rng.pick(sameRegion) : pickMunicipality();
    const municipalityOn = (day: number) => (moveDay !== undefined && day >= moveDay ? movedTo : home);
    // Death: a Gompertz hazard, higher with basic education.
    let deathDay: number | undefined;
    for (let year = fromYear; year <= toYear && deathDay === undefined; year++) {
      const a = year - (referenceYear - age);
      if (a < 0) continue;
      const hazard = Math.min(
        0.5,
        Math.exp(-10.6 + 0.095 * a) * (education === 'basic' ? 1.3 : education === 'higher' ? 0.8 : 1) * incomeRate,
      );
      if (rng.chance(hazard)) deathDay = dayOf(year) + rng.int(365);
    }
    if (deathDay !== undefined && deathDay < birthDay) deathDay = undefined;
    const copdOnset =
      age >= 45 && rng.chance(0.06 * (education === 'basic' ? 1.6 : 1))
        ? dayOf(fromYear - 3) + rng.int(365 * (toYear - fromYear + 4))
        : undefined;
    const t2dOnset =
      age >= 40 && rng.chance(0.07 * (education === 'basic' ? 1.4 : 1))
        ? dayOf(fromYear - 3) + rng.int(365 * (toYear - fromYear + 4))
        : undefined;

    await personsOut.write(`${personId},${iso(birthDay)},${sex},${education},${practices.listFor(home.code)}\n`);
    if (deathDay !== undefined) {
      await deathsOut.write(`${personId},${iso(deathDay)}\n`);
      deathCount++;
    }

    const writeCourse = async (
      m: Municipality,
      start: number,
      end: number | undefined,
      acute: boolean,
      inpatient: boolean,
      psychiatric: boolean,
      virtual: boolean,
      diagnosis: string,
    ) => {
      courseCount++;
      const hospital = hospitalOf(m.code);
      await coursesOut.write(
        `C${courseCount},${personId},${m.code},${hospital},${iso(start)},${end === undefined ? '' : iso(end)},${acute},${inpatient},${psychiatric},${virtual},${diagnosis}\n`,
      );
    };

    for (let year = fromYear; year <= toYear; year++) {
      const jan1 = dayOf(year);
      const yearEnd = dayOf(year, 12, 31);
      const alive = (day: number) => day >= birthDay && (deathDay === undefined || day <= deathDay);
      if (alive(jan1)) {
        const a = ageOn(birthDay, jan1);
        const quartile = quartileOf(incomeScore + incomeRng.normal(0, 0.3));
        await incomeOut.write(`${personId},${year},${quartile}\n`);
        const key = `${year},${municipalityOn(jan1).code},${sex},${ageGroupOf(a)},${education},${quartile}`;
        population.set(key, (population.get(key) ?? 0) + 1);
      }
      const a = year - (referenceYear - age);
      if (a < 0) continue;
      const t = year - fromYear;
      const chronic =
        (copdOnset !== undefined && copdOnset <= yearEnd) || (t2dOnset !== undefined && t2dOnset <= yearEnd);
      const lambda =
        (0.35 + 0.011 * a + (a < 2 ? 0.6 : 0)) *
          EDUCATION_RATE[education] *
          incomeRate *
          (REGION_RATE[home.region] ?? 1) *
          (1 - 0.012 * t) +
        (chronic ? 1.1 * (1 - 0.02 * t) : 0);
      const n = rng.poisson(lambda);
      for (let k = 0; k < n; k++) {
        const start = jan1 + rng.int(yearEnd - jan1 + 1);
        if (!alive(start) || start > periodEnd) continue;
        const m = municipalityOn(start);
        const psychiatric = rng.chance(a >= 15 && a <= 45 ? 0.02 : 0.007);
        const inpatient = psychiatric ? rng.chance(0.6) : rng.chance(0.09 + 0.0025 * a);
        const acute = inpatient && rng.chance(0.5 + 0.004 * a);
        const virtual = !inpatient && rng.chance(Math.min(0.6, (0.015 + 0.014 * t) * m.digital));
        let diagnosis: string;
        if (psychiatric) diagnosis = rng.pick(PSYCHIATRIC);
        else if (copdOnset !== undefined && copdOnset <= start && rng.chance(0.3)) diagnosis = rng.pick(COPD_CODES);
        else if (t2dOnset !== undefined && t2dOnset <= start && rng.chance(0.3)) diagnosis = rng.pick(T2D_CODES);
        else if (acute && a >= 65 && rng.chance(0.22 * EDUCATION_RATE[education])) diagnosis = rng.pick(PREVENTABLE);
        else diagnosis = rng.pick(OTHER_SOMATIC);
        const stay = inpatient
          ? psychiatric
            ? 3 + rng.int(30)
            : Math.min(40, Math.floor(-Math.log(1 - rng.next()) * 4))
          : rng.chance(0.7)
            ? 0
            : rng.int(60);
        let end: number | undefined = start + stay;
        if (end > periodEnd) end = rng.chance(0.5) ? undefined : periodEnd;
        if (deathDay !== undefined && end !== undefined && end > deathDay) end = deathDay;
        await writeCourse(m, start, end, acute, inpatient, psychiatric, virtual, diagnosis);
        if (!inpatient || end === undefined) continue;
        let discharge = end;
        // A transfer to another hospital on the discharge day, chained into the same admission.
        if (!psychiatric && rng.chance(0.05)) {
          const extra = discharge + 1 + rng.int(5);
          discharge = deathDay !== undefined && extra > deathDay ? deathDay : Math.min(extra, periodEnd);
          await writeCourse(m, end, discharge, false, true, psychiatric, false, diagnosis);
        }
        // Readmission: municipal level and trend, older and basic-educated patients more often.
        const base = psychiatric ? 0.3 : 0.075;
        const p =
          base *
          m.readmissionLevel *
          Math.exp(m.readmissionTrend * t) *
          (psychiatric ? 1 : 1 + 0.006 * Math.max(0, a - 50)) *
          (education === 'basic' ? 1.2 : education === 'higher' ? 0.85 : 1) *
          incomeRate;
        if (rng.chance(Math.min(0.9, p))) {
          const back = discharge + 1 + (Math.floor(-Math.log(1 - rng.next()) * 9) % 30);
          if (alive(back) && back <= periodEnd) {
            const backEnd = Math.min(periodEnd, back + (psychiatric ? 3 + rng.int(20) : rng.int(6)));
            const diag = psychiatric ? diagnosis : a >= 65 && rng.chance(0.3) ? rng.pick(PREVENTABLE) : diagnosis;
            await writeCourse(
              municipalityOn(back),
              back,
              deathDay !== undefined && backEnd > deathDay ? deathDay : backEnd,
              true,
              true,
              psychiatric,
              false,
              diag,
            );
          }
        }
      }
    }
    // About half of all deaths follow an acute admission in the last weeks of life.
    if (deathDay !== undefined && deathDay >= periodStart && rng.chance(0.55)) {
      const start = Math.max(birthDay, deathDay - rng.int(25));
      await writeCourse(municipalityOn(start), start, deathDay, true, true, false, false, rng.pick(OTHER_SOMATIC));
    }
    if ((p + 1) % 5_000 === 0 || p + 1 === persons) options.onProgress?.(p + 1, persons);
  }
  await Promise.all([personsOut.close(), coursesOut.close(), deathsOut.close(), incomeOut.close()]);

  const populationOut = TableWriter.open(
    csv('population'),
    'year,municipality_code,sex,age_group,education,income_quartile,count',
  );
  for (const [key, count] of [...population.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    await populationOut.write(`${key},${count}\n`);
  await populationOut.close();
  await practices.write(path.join(options.outDir, 'gp_practices.csv'), `${fromYear}-01-01`);
  await practices.writeClusters(path.join(options.outDir, 'gp_clusters.csv'), `${fromYear}-01-01`);

  if (options.format === 'parquet') await convertToParquet(options.outDir);
  return {
    persons,
    courses: courseCount,
    deaths: deathCount,
    populationRows: population.size,
    seconds: (performance.now() - started) / 1000,
  };
}

const TYPES: Record<string, Record<string, string>> = {
  population: {
    year: 'INTEGER',
    municipality_code: 'VARCHAR',
    sex: 'VARCHAR',
    age_group: 'VARCHAR',
    education: 'VARCHAR',
    income_quartile: 'INTEGER',
    count: 'BIGINT',
  },
  persons: { person_id: 'VARCHAR', birth_date: 'DATE', sex: 'VARCHAR', education: 'VARCHAR', gp_practice: 'VARCHAR' },
  hospital_courses: {
    course_id: 'VARCHAR',
    person_id: 'VARCHAR',
    municipality_code: 'VARCHAR',
    hospital_code: 'VARCHAR',
    admission_date: 'DATE',
    discharge_date: 'DATE',
    acute: 'BOOLEAN',
    inpatient: 'BOOLEAN',
    psychiatric: 'BOOLEAN',
    virtual: 'BOOLEAN',
    primary_diagnosis: 'VARCHAR',
  },
  deaths: { person_id: 'VARCHAR', death_date: 'DATE' },
  income: { person_id: 'VARCHAR', year: 'INTEGER', income_quartile: 'INTEGER' },
};

async function convertToParquet(dir: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const name of ['population', 'persons', 'hospital_courses', 'deaths', 'income']) {
      const from = path.join(dir, `${name}.csv`).replaceAll("'", "''");
      const to = path.join(dir, `${name}.parquet`).replaceAll("'", "''");
      // Typed columns (dates, booleans, counts) so readers need no conversion; codes and ids stay text.
      const columns = Object.entries(TYPES[name] ?? {})
        .map(([c, t]) => `'${c}': '${t}'`)
        .join(', ');
      await conn.run(
        `COPY (SELECT * FROM read_csv('${from}', header = true, auto_detect = false, columns = {${columns}})) TO '${to}' (FORMAT parquet)`,
      );
      await rm(path.join(dir, `${name}.csv`));
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
