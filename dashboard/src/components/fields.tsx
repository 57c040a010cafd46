import type { ReactNode } from 'react';

/** A labelled control (toolbars and filter forms); the label may be for screen readers only. */
export function Field({
  label,
  hideLabel,
  grow,
  children,
}: {
  label: string;
  hideLabel?: boolean;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, nested in the label
    <label className={grow ? 'field grow' : 'field'}>
      <span className={hideLabel ? 'sr-only' : undefined}>{label}</span>
      {children}
    </label>
  );
}

/** The wide search box of a list page; its placeholder says what it searches, its label names it. */
export function SearchField({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hideLabel grow>
      <input
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** A drop-down of [value, label] options; its first option usually means "any". */
export function SelectField<V extends string>({
  label,
  hideLabel = true,
  value,
  options,
  onChange,
}: {
  label: string;
  hideLabel?: boolean;
  value: V;
  options: ReadonlyArray<readonly [V, string]>;
  onChange: (value: V) => void;
}) {
  return (
    <Field label={label} hideLabel={hideLabel}>
      <select value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A fieldset of radio buttons, one a [value, label] option, under a visible legend. */
export function RadioGroup<V extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: V;
  options: ReadonlyArray<readonly [V, string]>;
  onChange: (value: V) => void;
}) {
  return (
    <fieldset>
      <legend className="label">{legend}</legend>
      {options.map(([v, l]) => (
        <label key={v} className="radio">
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {l}
        </label>
      ))}
    </fieldset>
  );
}
