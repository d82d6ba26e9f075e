// A small uPlot line chart over days. uPlot draws on a canvas; its legend shows the values under
// the cursor (the tooltip), with units in the series labels.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const DAY = 86_400;

export type ChartSeries = { label: string; color: string; values: (number | null)[] };

export function TimeSeriesChart(props: {
  title: string;
  days: string[];
  series: ChartSeries[];
  format: (value: number | null) => string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { title, days, series, format, height = 220 } = props;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // Local midnight of each day (the browser's timezone is the report's), so that day ticks fall on
    // the points.
    const xs = days.map((day) => Date.parse(`${day}T00:00:00`) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height,
        legend: { live: true },
        cursor: { points: { size: 8 } },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, min + 1) * 1.1] } },
        axes: [
          {
            // Whole days only (uPlot would also tick half-days, labelled with the same date twice).
            incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY],
            values: (_u, splits) =>
              splits.map((s) => new Date(s * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })),
          },
          { values: (_u, splits) => splits.map((s) => format(s)), size: 76 },
        ],
        series: [
          { label: 'Day', value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleDateString()) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: days.length < 40 },
            spanGaps: true,
            value: (_u: uPlot, v: number | null) => format(v),
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, format, height]);

  return (
    <figure className="min-w-0 rounded-xl border border-gray-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-semibold text-gray-900">{title}</figcaption>
      <div ref={container} className="w-full" data-testid="chart" />
    </figure>
  );
}
