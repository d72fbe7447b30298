/*
 * Stats (staff): the support figures and the CSV export.
 * Stable selectors: #stats, #stats-open, #stats-unassigned, #stats-resolution-rate,
 * #stats-first-response, #stats-resolution, #stats-by-status [data-status],
 * #stats-by-priority [data-priority], #stats-by-category [data-category],
 * #stats-error, #chart-created-resolved (rect.bar-created / rect.bar-resolved with
 * data-value, g[data-date]), #chart-table; export: #export-form, #export-text,
 * #export-status, #export-priority, #export-category, #export-assignee, #export-from,
 * #export-to, #export-bom, #export-button, #export-cancel, #export-progress,
 * #export-done (with .export-path), #export-cancelled, #export-error.
 */
import { useEffect, useState } from "react";
import { api, errorMessage } from "../api";
import type { DurationStats, Priority, Stats as StatsData, Status } from "../bindings";
import { CreatedResolvedChart } from "../components/reports/CreatedResolvedChart";
import { ExportPanel } from "../components/reports/ExportPanel";
import { staffApi } from "../components/reports/api";
import { formatCount, humanDuration, percent } from "../components/reports/format";
import { STAFF_STATUS_LABELS } from "../components/staff/labels";
import { useDebouncedChanges } from "../components/reports/useDebouncedChanges";
import { PRIORITIES, PRIORITY_LABELS, STATUSES } from "../format";

interface Loaded {
  data: StatsData | null;
  error: string | null;
}

/** `quietMs`: how long changes must settle before the figures are asked for again. */
export function Stats({ quietMs = 1500 }: { quietMs?: number }) {
  const version = useDebouncedChanges(quietMs);
  const [stats, setStats] = useState<Loaded>({ data: null, error: null });
  const [categories, setCategories] = useState<string[]>([]);

  useEffect(() => {
    let current = true;
    staffApi.stats().then(
      (data) => {
        if (current) setStats({ data, error: null });
      },
      (e: unknown) => {
        // The last figures stay on screen beside the error.
        if (current) setStats((s) => ({ ...s, error: errorMessage(e) }));
      },
    );
    return () => {
      current = false;
    };
  }, [version]);

  useEffect(() => {
    let current = true;
    api.categories().then(
      (list) => {
        if (current) setCategories(list);
      },
      () => {
        // The export still works without the category choice.
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const data = stats.data;
  return (
    <section id="stats" className="screen stats" aria-labelledby="stats-title">
      <div className="screen-head">
        <h1 id="stats-title" tabIndex={-1}>
          Stats
        </h1>
      </div>
      {stats.error && (
        <p id="stats-error" className="error" role="alert">
          {stats.error}
        </p>
      )}
      {!data && !stats.error && <p role="status">Loading the figures…</p>}
      {data && (
        <>
          <ul className="counts stat-cards">
            <Figure id="stats-open" label="Open" value={formatCount(data.open)} />
            <Figure id="stats-unassigned" label="Open and unassigned" value={formatCount(data.unassigned)} />
            <Figure
              id="stats-resolution-rate"
              label={`Resolved of ${formatCount(data.created_30d)} created in 30 days`}
              value={percent(data.resolution_rate_30d)}
            />
          </ul>
          <div className="stat-durations">
            <Durations id="stats-first-response" title="First response" figures={data.first_response} />
            <Durations id="stats-resolution" title="Resolution" figures={data.resolution} />
          </div>
          <CreatedResolvedChart days={data.by_day} />
          <div className="stat-breakdowns">
            <Breakdown
              id="stats-by-status"
              title="By status"
              attr="data-status"
              rows={STATUSES.map((s: Status) => [s, STAFF_STATUS_LABELS[s], data.by_status[s] ?? 0])}
            />
            <Breakdown
              id="stats-by-priority"
              title="By priority"
              attr="data-priority"
              rows={PRIORITIES.map((p: Priority) => [p, PRIORITY_LABELS[p], data.by_priority[p] ?? 0])}
            />
            <Breakdown
              id="stats-by-category"
              title="By category"
              attr="data-category"
              rows={Object.entries(data.by_category)
                .sort(([, a], [, b]) => b - a)
                .map(([c, n]) => [c, c, n])}
            />
          </div>
        </>
      )}
      <ExportPanel categories={categories} />
    </section>
  );
}

function Figure({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <li className="count stat-card">
      <span id={id} className="count-number">
        {value}
      </span>
      <span className="count-label">{label}</span>
    </li>
  );
}

function Durations({ id, title, figures }: { id: string; title: string; figures: DurationStats }) {
  return (
    <section id={id} className="card stat-duration" aria-label={title}>
      <h2>{title}</h2>
      <dl>
        <dt>Median</dt>
        <dd className="median">{humanDuration(figures.median_seconds)}</dd>
        <dt>Mean</dt>
        <dd className="mean">{humanDuration(figures.mean_seconds)}</dd>
      </dl>
      <p className="hint">
        Over {formatCount(figures.count)} {figures.count === 1 ? "ticket" : "tickets"}
      </p>
    </section>
  );
}

function Breakdown({
  id,
  title,
  attr,
  rows,
}: {
  id: string;
  title: string;
  attr: string;
  rows: [string, string, number][];
}) {
  return (
    <section id={id} className="card stat-breakdown" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="empty">None yet.</p>
      ) : (
        <dl>
          {rows.map(([key, label, n]) => (
            <div key={key} className="stat-row" {...{ [attr]: key }}>
              <dt>{label}</dt>
              <dd>{formatCount(n)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
