import { absoluteTime, relativeTime } from "../format";

/** Relative for scanning, absolute on hover and for assistive tech via the datetime. */
export function Time({ value, now }: { value: string | number; now: number }) {
  const iso = typeof value === "number" ? new Date(value).toISOString() : value;
  return (
    <time dateTime={iso} title={absoluteTime(value)}>
      {relativeTime(value, now)}
    </time>
  );
}
