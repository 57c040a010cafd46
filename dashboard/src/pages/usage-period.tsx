import { Field } from '../components/fields';
import { daysAgo } from '../lib/format';

const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];

/** The period a usage report covers: the last 7, 30 or 90 days in one press, or any from–to days. */
export function PeriodPicker({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (period: { from: string; to: string }) => void;
}) {
  return (
    <div className="toolbar">
      <fieldset className="segmented">
        <legend className="sr-only">Period</legend>
        {PRESETS.map((p) => (
          <button
            key={p.days}
            type="button"
            className="btn btn-ghost"
            aria-pressed={from === daysAgo(p.days - 1) && to === daysAgo(0)}
            onClick={() => onChange({ from: daysAgo(p.days - 1), to: daysAgo(0) })}
          >
            {p.label}
          </button>
        ))}
      </fieldset>
      <Field label="From">
        <input
          type="date"
          value={from}
          max={to}
          onChange={(e) => e.target.value && onChange({ from: e.target.value, to })}
        />
      </Field>
      <Field label="To">
        <input
          type="date"
          value={to}
          min={from}
          onChange={(e) => e.target.value && onChange({ from, to: e.target.value })}
        />
      </Field>
    </div>
  );
}
