import { type RefObject, useEffect, useId, useRef, useState } from "react";
import type { DayCount } from "../../bindings";
import { AXIS_BOTTOM, AXIS_LEFT, CHART_HEIGHT, CHART_WIDTH, chartData } from "./chart";

/** The element's size in CSS pixels, followed as the window is resized. */
function useBoxSize<T extends Element>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: CHART_WIDTH, height: CHART_HEIGHT });
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box && box.width > 0 && box.height > 0) {
        setSize({ width: Math.round(box.width), height: Math.round(box.height) });
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
    };
  }, []);
  return [ref, size];
}

/**
 * Created vs resolved per day, as grouped bars in an inline SVG. Screen readers get a
 * summary as the image's name and the full numbers as a table (hidden from sight).
 */
export function CreatedResolvedChart({ days }: { days: DayCount[] }) {
  const [svgRef, size] = useBoxSize<SVGSVGElement>();
  const data = chartData(days, size.width, size.height);
  const titleId = useId();
  const descId = useId();
  const summary = `Last ${days.length} days: ${data.totalCreated} created, ${data.totalResolved} resolved.`;
  return (
    <figure id="chart-created-resolved" className="chart">
      <figcaption>
        Created and resolved per day
        <span className="chart-legend" aria-hidden="true">
          <span className="legend-created">Created</span>
          <span className="legend-resolved">Resolved</span>
        </span>
      </figcaption>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${size.width} ${size.height}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>Tickets created and resolved per day</title>
        <desc id={descId}>{summary}</desc>
        {data.ticks.map((t) => (
          <g key={t.value} className="chart-tick">
            <line x1={AXIS_LEFT} x2={size.width} y1={t.y} y2={t.y} />
            <text x={AXIS_LEFT - 4} y={t.y + 4} textAnchor="end">
              {t.value}
            </text>
          </g>
        ))}
        {data.days.map((d) => (
          <g key={d.date} data-date={d.date}>
            <rect className="bar-created" x={d.created.x} y={d.created.y} width={d.created.width} height={d.created.height} data-value={d.created.value} />
            <rect className="bar-resolved" x={d.resolved.x} y={d.resolved.y} width={d.resolved.width} height={d.resolved.height} data-value={d.resolved.value} />
            {d.showLabel && (
              <text className="chart-day" x={d.labelX} y={size.height - AXIS_BOTTOM / 3} textAnchor={d.labelAnchor}>
                {d.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <table id="chart-table" className="visually-hidden">
        <caption>Tickets created and resolved per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Created</th>
            <th scope="col">Resolved</th>
          </tr>
        </thead>
        <tbody>
          {data.days.map((d) => (
            <tr key={d.date}>
              <th scope="row">{d.label}</th>
              <td>{d.created.value}</td>
              <td>{d.resolved.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
