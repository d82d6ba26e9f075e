import { formatDayLabel } from './format';

export function DaySeparator({ date, now }: { date: string; now?: Date }) {
  return (
    <div className="my-3 flex items-center gap-3 px-2">
      <span className="h-px flex-1 bg-gray-200" />
      <span className="text-xs font-medium text-gray-500" data-testid="day-separator">
        {formatDayLabel(date, now)}
      </span>
      <span className="h-px flex-1 bg-gray-200" />
    </div>
  );
}
