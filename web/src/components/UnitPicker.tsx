// Choose Denmark, a region, a municipality, a health cluster or a hospital — in the structure in force on a date,
// with a switch to an earlier or later structure (e.g. the 4 regions from 2027).
import type { OrgUnit } from '../api';
import { useApi } from '../api';
import { type Lang, t } from '../i18n';
import { navigate, useRoute } from '../router';

interface StructurePeriod {
  from: string;
  to: string | null;
  counts: Record<string, number>;
}

const byName = (a: OrgUnit, b: OrgUnit) => a.name.localeCompare(b.name, 'da');

export function UnitPicker(props: {
  units: OrgUnit[];
  value: string;
  onChange: (code: string) => void;
  lang: Lang;
  id?: string;
}) {
  const route = useRoute();
  const structures = useApi<StructurePeriod[]>('/api/org-units/structures');
  const name = (u: OrgUnit) => (props.lang === 'en' && u.nameEn ? u.nameEn : u.name);
  const ofType = (type: string) => props.units.filter((u) => u.type === type);
  const groups: [string, OrgUnit[]][] = [
    [t('denmark', props.lang), ofType('nation')],
    [t('regions', props.lang), ofType('region')],
    [t('municipalities', props.lang), ofType('municipality').sort(byName)],
    [t('healthClusters', props.lang), ofType('health-cluster').sort(byName)],
    [t('hospitals', props.lang), ofType('hospital').sort(byName)],
  ];
  const today = new Date().toISOString().slice(0, 10);
  const chosen = route.params.get('struktur') ?? today;
  const periods = structures.data ?? [];
  const current = periods.find((p) => p.from <= chosen && (p.to === null || chosen <= p.to));
  const label = (p: StructurePeriod) => {
    const years = `${p.from.slice(0, 4)}–${p.to ? p.to.slice(0, 4) : ''}`;
    const regions = p.counts.region ?? 0;
    return `${p.to ? years : `${t('from', props.lang)} ${p.from.slice(0, 4)}`} (${regions} ${t('regions', props.lang).toLowerCase()})`;
  };
  return (
    <div className="unit-picker-row">
      <label className="unit-picker">
        <span>{t('chooseUnit', props.lang)}</span>
        <select
          id={props.id ?? 'unit'}
          data-testid="unit-picker"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        >
          {groups
            .filter(([, units]) => units.length > 0)
            .map(([label, units]) => (
              <optgroup key={label} label={label}>
                {units.map((u) => (
                  <option key={u.code} value={u.code}>
                    {name(u)}
                    {u.confidence === 'uncertain' ? ' *' : ''}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
      </label>
      {periods.length > 1 && (
        <label className="unit-picker">
          <span>{t('structure', props.lang)}</span>
          <select
            data-testid="structure-picker"
            value={current?.from ?? ''}
            onChange={(e) =>
              navigate(window.location.pathname, {
                ...Object.fromEntries(route.params),
                struktur: e.target.value,
              })
            }
          >
            {periods.map((p) => (
              <option key={p.from} value={p.from}>
                {label(p)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
