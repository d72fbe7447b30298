const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration as people say it, to the two largest units that matter: "45 min",
 * "3 h 5 min", "2 d 4 h". `null` (nothing to measure yet) reads as a dash.
 */
export function humanDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < MINUTE) return "under 1 min";
  const total = Math.round(seconds / MINUTE) * MINUTE;
  if (total < HOUR) return `${total / MINUTE} min`;
  if (total < DAY) {
    const hours = Math.floor(total / HOUR);
    const minutes = Math.round((total - hours * HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  const days = Math.floor(total / DAY);
  const hours = Math.round((total - days * DAY) / HOUR);
  if (hours === 24) return `${days + 1} d`;
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/** A rate from 0 to 1 as a whole percentage; `null` (nothing created) as a dash. */
export function percent(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  return `${Math.round(rate * 100)} %`;
}

const count = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return count.format(n);
}
