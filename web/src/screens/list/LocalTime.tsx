const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An API timestamp (ISO 8601 UTC) in the browser's locale and time zone; the exact instant on hover. */
export function LocalTime({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <>{iso}</>;
  return (
    <time dateTime={iso} title={iso}>
      {(seconds ? dateTimeSeconds : dateTime).format(d)}
    </time>
  );
}
