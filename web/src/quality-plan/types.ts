// The quality-plan API's answers, as the pages use them.
import type { Text } from '../api';
import type { Status } from './texts';

export interface Counts {
  met: number;
  partlyMet: number;
  notMet: number;
  notReported: number;
  total: number;
  shareMet: number | null;
}
export interface Area {
  code: string;
  name: string;
  nameEn?: string;
  level: string;
  counts: Counts;
  perRequirement: Record<string, Counts>;
}
export interface Item {
  number: number;
  title: Text;
  text: Text;
  confidence?: 'official' | 'summary';
  indicators: string[];
  note?: string;
}
export interface Version {
  version: string;
  date: string;
  firstYear: number;
  title?: Text;
  source: { document: string; section?: string; url?: string };
  confidence: 'official' | 'summary';
  confidenceNote?: string;
  indicators: string[];
  indicatorsNote?: string;
  targetGroups?: Text;
  requirements: Item[];
  recommendations: Item[];
  recommendationsNote?: Text;
}
export interface StandardSummary {
  id: string;
  title: Text;
  publisher: string;
  version: string;
  date: string;
  confidence: 'official' | 'summary';
  requirements: number;
  recommendations: number;
}
export interface Standard {
  id: string;
  title: Text;
  publisher: string;
  package?: Text;
  versions: Version[];
  current: string;
}
export interface MatrixRow {
  code: string;
  name: string;
  region: string | null;
  clusters: string[];
  statuses: Record<string, Status>;
  counts: Counts;
}
export interface Compliance {
  standard: { id: string; title: Text };
  version: Version;
  year: number;
  years: number[];
  unit: Area;
  requirements:
    | {
        number: number;
        title: Text;
        status: Status;
        previousStatus: Status | null;
        assessedOn: string | null;
        basis: string | null;
        note: string | null;
      }[]
    | null;
  comparison: Area[];
  regions: Area[];
  municipalities: MatrixRow[];
  clusters: { id: string; name: Text }[];
  trend: { year: number; counts: Counts }[];
  synthetic: boolean;
}
