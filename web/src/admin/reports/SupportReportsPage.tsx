// Admin -> Support reports: how fast, how well, and where the load comes from. Loaded on demand
// (React.lazy in the routes), so the chart library is only fetched by those who open it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { USER_TYPES, type UserType } from '../../../../common/enums';
import type { ReportFigures, SupportReport } from '../../../../common/reports';
import { errorMessage } from '../../api/api-error';
import { apiDownload, apiFetch } from '../../api/api-fetch';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { AVAILABILITY_LABELS, formatWaiting, useNow } from '../routing/team';
import { type ChartSeries, TimeSeriesChart } from './TimeSeriesChart';

type Period = 'today' | '7d' | '30d' | 'custom';
type Filters = { period: Period; from: string; to: string; userType: string; adminId: string; order: string };

const PERIODS: [Period, string][] = [
  ['today', 'Today'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['custom', 'Custom'],
];
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const localDay = (offsetDays = 0) => {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

/** Seconds as the unit a person reads best: "45 s", "12 min", "3.5 h", "2.1 d". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || Number.isNaN(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
const STARS = [1, 2, 3, 4, 5] as const;
const formatCount = (value: number | null) => (value === null ? '—' : String(Math.round(value * 10) / 10));
/** Minutes with the precision the axis steps need (0.25 min is not "0.3 min"). */
const formatMinutes = (value: number | null) => {
  if (value === null) return '—';
  const digits = value < 1 ? 100 : value < 10 ? 10 : 1;
  return `${Math.round(value * digits) / digits} min`;
};
const formatPercent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`);
const formatCsat = (f: ReportFigures) => (f.csatAverage === null ? '—' : `${f.csatAverage.toFixed(2)} / 5`);

function queryOf(filters: Filters) {
  return {
    period: filters.period,
    from: filters.period === 'custom' ? filters.from : undefined,
    to: filters.period === 'custom' ? filters.to : undefined,
    tz: browserTimeZone(),
    userType: filters.userType || undefined,
    adminId: filters.adminId || undefined,
    order: filters.order || undefined,
  };
}

const selectClass =
  'min-h-11 rounded-lg border border-gray-300 bg-white px-3 text-sm text-gray-900 focus:border-brand-500 focus:outline-none';

export default function SupportReportsPage() {
  const [filters, setFilters] = useState<Filters>({
    period: '7d',
    from: localDay(-6),
    to: localDay(),
    userType: '',
    adminId: '',
    order: '',
  });
  const set = (patch: Partial<Filters>) => setFilters((current) => ({ ...current, ...patch }));
  const query = useMemo(() => queryOf(filters), [filters]);
  const report = useQuery({
    queryKey: ['admin', 'support-reports', query],
    queryFn: ({ signal }) => apiFetch<SupportReport>('/api/admin/support/reports', { query, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const [exportError, setExportError] = useState<string | null>(null);

  async function exportCsv() {
    setExportError(null);
    try {
      const blob = await apiDownload('/api/admin/support/reports/conversations.csv', query);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `support-report-${report.data?.period.from ?? 'period'}-to-${report.data?.period.to ?? ''}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setExportError(errorMessage(error, 'The export failed.'));
    }
  }

  const agents = report.data?.live.agents ?? [];
  return (
    <div className="flex-1 overflow-y-auto bg-gray-50">
      <div className="mx-auto w-full max-w-6xl px-4 py-6">
        <h1 className="text-2xl font-semibold tracking-tight text-gray-900">Support reports</h1>
        <p className="mt-1 text-sm text-gray-600">
          Conversations created in the period, in your timezone ({browserTimeZone()}). Point at a figure for what it
          counts.
        </p>

        <form className="mt-4 flex flex-wrap items-end gap-3" onSubmit={(event) => event.preventDefault()}>
          <label className="flex flex-col text-xs font-medium text-gray-600">
            Period
            <select
              className={selectClass}
              value={filters.period}
              onChange={(e) => set({ period: e.target.value as Period })}
            >
              {PERIODS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {filters.period === 'custom' && (
            <>
              <label className="flex flex-col text-xs font-medium text-gray-600">
                From
                <input
                  type="date"
                  className={selectClass}
                  value={filters.from}
                  max={filters.to}
                  onChange={(e) => set({ from: e.target.value })}
                />
              </label>
              <label className="flex flex-col text-xs font-medium text-gray-600">
                To
                <input
                  type="date"
                  className={selectClass}
                  value={filters.to}
                  min={filters.from}
                  onChange={(e) => set({ to: e.target.value })}
                />
              </label>
            </>
          )}
          <label className="flex flex-col text-xs font-medium text-gray-600">
            User type
            <select
              className={selectClass}
              value={filters.userType}
              onChange={(e) => set({ userType: e.target.value })}
            >
              <option value="">All</option>
              {USER_TYPES.map((type: UserType) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-xs font-medium text-gray-600">
            Agent
            <select className={selectClass} value={filters.adminId} onChange={(e) => set({ adminId: e.target.value })}>
              <option value="">All</option>
              {agents.map((agent) => (
                <option key={agent.adminId} value={agent.adminId}>
                  {agent.displayName}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-xs font-medium text-gray-600">
            Order
            <select className={selectClass} value={filters.order} onChange={(e) => set({ order: e.target.value })}>
              <option value="">Any</option>
              <option value="linked">About an order</option>
              <option value="unlinked">No order</option>
            </select>
          </label>
          <Button type="button" variant="secondary" onClick={exportCsv}>
            Export CSV
          </Button>
          {report.isFetching && <Spinner label="Updating" />}
        </form>
        {exportError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {exportError}
          </p>
        )}

        {report.isPending ? (
          <div className="mt-8">
            <Spinner label="Loading reports" />
          </div>
        ) : report.isError ? (
          <div role="alert" className="mt-8 rounded-lg bg-red-50 p-4 text-sm text-red-700">
            {errorMessage(report.error, 'The report could not be loaded.')}
          </div>
        ) : (
          <ReportBody report={report.data} />
        )}
      </div>
    </div>
  );
}

function Stat(props: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-xl border border-gray-200 bg-white p-4" title={props.hint}>
      <div className="text-xs font-medium text-gray-500">{props.label}</div>
      <div className="mt-1 text-xl font-semibold text-gray-900">{props.value}</div>
      <div className="mt-0.5 text-xs text-gray-500">{props.hint}</div>
    </div>
  );
}

function ReportBody({ report }: { report: SupportReport }) {
  const { summary } = report;
  const now = useNow(1000);
  const days = useMemo(() => report.byDay.map((d) => d.day), [report]);
  const volume = useMemo<ChartSeries[]>(
    () => [
      { label: 'Created (conversations)', color: '#4f46e5', values: report.byDay.map((d) => d.created) },
      { label: 'Resolved (conversations)', color: '#16a34a', values: report.byDay.map((d) => d.resolved) },
    ],
    [report],
  );
  const speed = useMemo<ChartSeries[]>(
    () => [
      {
        label: 'First response, median (min)',
        color: '#ea580c',
        values: report.byDay.map((d) =>
          d.firstResponseMedianSeconds === null ? null : d.firstResponseMedianSeconds / 60,
        ),
      },
      {
        label: 'Resolution, median (min)',
        color: '#0891b2',
        values: report.byDay.map((d) => (d.resolutionMedianSeconds === null ? null : d.resolutionMedianSeconds / 60)),
      },
    ],
    [report],
  );
  const byStatus = { online: 0, away: 0, offline: 0 } as Record<string, number>;
  for (const agent of report.live.agents) byStatus[agent.status] = (byStatus[agent.status] ?? 0) + 1;
  const maxStars = Math.max(1, ...summary.csatDistribution);

  return (
    <>
      <section aria-label="Live now" className="mt-6 rounded-xl border border-gray-200 bg-white p-4">
        <h2 className="text-sm font-semibold text-gray-900">Live now</h2>
        <div className="mt-2 flex flex-wrap gap-x-8 gap-y-2 text-sm text-gray-700">
          <span>
            Queue: <strong>{report.live.queue.length}</strong> waiting
            {report.live.queue.oldestQueuedAt && <> · oldest {formatWaiting(report.live.queue.oldestQueuedAt, now)}</>}
          </span>
          {(['online', 'away', 'offline'] as const).map((status) => (
            <span key={status}>
              {AVAILABILITY_LABELS[status]}: <strong>{byStatus[status] ?? 0}</strong>
            </span>
          ))}
        </div>
        <ul className="mt-2 flex flex-wrap gap-2 text-xs">
          {report.live.agents.map((agent) => (
            <li
              key={agent.adminId}
              className="rounded-full bg-gray-100 px-2.5 py-1 text-gray-700"
              title={`${agent.open} open of ${agent.capacity}`}
            >
              {agent.displayName} · {AVAILABILITY_LABELS[agent.status]} · {agent.open}/{agent.capacity} open
            </li>
          ))}
        </ul>
      </section>

      <section aria-label="Summary" className="mt-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Created" value={String(summary.created)} hint="conversations opened in the period" />
        <Stat label="Resolved" value={String(summary.resolved)} hint="of those, resolved now" />
        <Stat
          label="First response"
          value={`${formatDuration(summary.firstResponseMedianSeconds)} median`}
          hint={`90th percentile ${formatDuration(summary.firstResponseP90Seconds)}; creation to first agent message`}
        />
        <Stat
          label="Resolution"
          value={`${formatDuration(summary.resolutionMedianSeconds)} median`}
          hint={`90th percentile ${formatDuration(summary.resolutionP90Seconds)}; creation to first resolution`}
        />
        <Stat label="Reopen rate" value={formatPercent(summary.reopenRate)} hint="reopened / resolved at least once" />
        <Stat
          label="Messages"
          value={formatCount(summary.messagesPerConversation)}
          hint="per conversation, both sides"
        />
        <Stat label="CSAT" value={formatCsat(summary)} hint={`${summary.csatCount} rated conversations`} />
        <div className="rounded-xl border border-gray-200 bg-white p-4">
          <div className="text-xs font-medium text-gray-500">Ratings</div>
          <ol className="mt-1 space-y-0.5" aria-label="Ratings by stars">
            {STARS.map((stars, index) => {
              const count = summary.csatDistribution[index] ?? 0;
              return (
                <li
                  key={stars}
                  className="flex items-center gap-2 text-xs text-gray-600"
                  title={`${stars} stars: ${count} conversations`}
                >
                  <span className="w-6">{stars}★</span>
                  <span className="h-2 rounded bg-amber-400" style={{ width: `${(count / maxStars) * 70}%` }} />
                  <span>{count}</span>
                </li>
              );
            })}
          </ol>
        </div>
      </section>

      <section aria-label="By day" className="mt-4 grid gap-3 lg:grid-cols-2">
        <TimeSeriesChart title="Conversations per day" days={days} series={volume} format={formatCount} />
        <TimeSeriesChart title="Median times per day (minutes)" days={days} series={speed} format={formatMinutes} />
      </section>

      <FiguresTable
        title="By agent"
        rows={report.byAgent.map((row) => ({
          key: row.adminId ?? 'none',
          name: row.displayName ?? 'Unassigned',
          figures: row,
        }))}
      />
      <FiguresTable
        title="By user type"
        rows={report.byUserType.map((row) => ({ key: row.userType, name: row.userType, figures: row }))}
      />
    </>
  );
}

function FiguresTable(props: { title: string; rows: { key: string; name: string; figures: ReportFigures }[] }) {
  return (
    // Focusable: on a phone the table scrolls sideways, and keyboard users must be able to scroll it.
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard
      tabIndex={0}
      aria-label={props.title}
      className="mt-4 overflow-x-auto rounded-xl border border-gray-200 bg-white"
    >
      <h2 className="px-4 pt-3 text-sm font-semibold text-gray-900">{props.title}</h2>
      <table className="mt-2 w-full min-w-[640px] text-left text-sm">
        <thead className="text-xs text-gray-500">
          <tr>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Conversations</th>
            <th className="px-4 py-2 font-medium">Resolved</th>
            <th className="px-4 py-2 font-medium">First response (median)</th>
            <th className="px-4 py-2 font-medium">Resolution (median)</th>
            <th className="px-4 py-2 font-medium">Reopen rate</th>
            <th className="px-4 py-2 font-medium">CSAT</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={7} className="px-4 py-3 text-gray-500">
                No conversations in this period.
              </td>
            </tr>
          )}
          {props.rows.map(({ key, name, figures }) => (
            <tr key={key} className="border-t border-gray-100">
              <td className="px-4 py-2 font-medium text-gray-900">{name}</td>
              <td className="px-4 py-2" title={`${figures.created} conversations opened in the period`}>
                {figures.created}
              </td>
              <td className="px-4 py-2" title={`${figures.resolved} of them resolved now`}>
                {figures.resolved}
              </td>
              <td className="px-4 py-2" title={`90th percentile ${formatDuration(figures.firstResponseP90Seconds)}`}>
                {formatDuration(figures.firstResponseMedianSeconds)}
              </td>
              <td className="px-4 py-2" title={`90th percentile ${formatDuration(figures.resolutionP90Seconds)}`}>
                {formatDuration(figures.resolutionMedianSeconds)}
              </td>
              <td className="px-4 py-2" title="Reopened at least once / resolved at least once">
                {formatPercent(figures.reopenRate)}
              </td>
              <td className="px-4 py-2" title={`${figures.csatCount} ratings`}>
                {formatCsat(figures)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
