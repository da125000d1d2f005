// Choose Denmark, a region, a municipality, a health cluster or a hospital — in the structure in force on a date,
// with a switch to an earlier or later structure (e.g. the 4 regions from 2027) — or find one of the general
// practices (about 1,700, too many for a menu) by name, code or municipality.
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
    [t('practiceClusters', props.lang), ofType('gp-cluster').sort(byName)],
    // A practice is in the menu only while it is the unit shown; the others are found with the search field.
    [t('practices', props.lang), ofType('gp-practice').filter((u) => u.code === props.value)],
  ];
  const practices = ofType('gp-practice').sort(byName);
  const unitName = new Map(props.units.map((u) => [u.code, name(u)]));
  /** A practice as offered in the search: its name, its municipality and (unless the name has it) its code. */
  const practiceLabel = (u: OrgUnit) => {
    const where = u.parent ? unitName.get(u.parent) : undefined;
    return `${name(u)}${where ? `, ${where}` : ''}${name(u).includes(u.code) ? '' : ` (${u.code})`}`;
  };
  const findPractice = (typed: string) => {
    const text = typed.trim().toLowerCase();
    const hit = practices.find((u) => u.code.toLowerCase() === text || practiceLabel(u).toLowerCase() === text);
    if (hit && hit.code !== props.value) props.onChange(hit.code);
  };
  const listId = `${props.id ?? 'unit'}-practices`;
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
      {practices.length > 0 && (
        <label className="unit-picker">
          <span>{t('findPractice', props.lang)}</span>
          <input
            type="search"
            data-testid="practice-search"
            list={listId}
            placeholder={t('findPracticeHint', props.lang)}
            onChange={(e) => findPractice(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && findPractice(e.currentTarget.value)}
          />
          <datalist id={listId}>
            {practices.map((u) => (
              <option key={u.code} value={practiceLabel(u)} />
            ))}
          </datalist>
        </label>
      )}
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
