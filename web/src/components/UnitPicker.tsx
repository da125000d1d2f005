// Choose Denmark, a region or a municipality.
import type { OrgUnit } from '../api';
import { type Lang, t } from '../i18n';

export function UnitPicker(props: {
  units: OrgUnit[];
  value: string;
  onChange: (code: string) => void;
  lang: Lang;
  id?: string;
}) {
  const name = (u: OrgUnit) => (props.lang === 'en' && u.nameEn ? u.nameEn : u.name);
  const groups: [string, OrgUnit[]][] = [
    [t('denmark', props.lang), props.units.filter((u) => u.type === 'nation')],
    [t('regions', props.lang), props.units.filter((u) => u.type === 'region')],
    [
      t('municipalities', props.lang),
      props.units.filter((u) => u.type === 'municipality').sort((a, b) => a.name.localeCompare(b.name, 'da')),
    ],
  ];
  return (
    <label className="unit-picker">
      <span>{t('chooseUnit', props.lang)}</span>
      <select
        id={props.id ?? 'unit'}
        data-testid="unit-picker"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {groups.map(([label, units]) => (
          <optgroup key={label} label={label}>
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {name(u)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
