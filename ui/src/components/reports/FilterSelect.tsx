/**
 * A filter's select: one of `options`, or "" for its first choice, which matches
 * anything. A value outside `options` reads as "" so the filter never holds junk.
 */
export function FilterSelect<T extends string>({
  id,
  label,
  any,
  options,
  labels,
  value,
  onChange,
}: {
  id: string;
  label: string;
  any: string;
  options: readonly T[];
  /** Shown for each option; the option itself when absent. */
  labels?: Record<T, string>;
  value: T | "";
  onChange: (value: T | "") => void;
}) {
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const v = e.target.value;
          onChange(options.find((o) => o === v) ?? "");
        }}
      >
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels ? labels[o] : o}
          </option>
        ))}
      </select>
    </div>
  );
}
