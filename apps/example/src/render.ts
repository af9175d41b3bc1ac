/** JSON with bigint values printed as exact integers. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2).replace(
    /"(-?\d+)n"/g,
    '$1',
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const zone = (value as { Zone?: unknown }).Zone;
    if (typeof zone === 'string') return zone;
    return Array.isArray(value) ? value.map(cell).join(',') : JSON.stringify(value);
  }
  return String(value);
}

/** A plain-text table of records; `columns` picks and orders them (default: the scalar fields). */
export function table(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols =
    columns ?? Object.keys(rows[0]!).filter((k) => rows.some((r) => r[k] !== null && typeof r[k] !== 'object'));
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The first array-of-objects field of a result: what `--output table` shows. */
export function listOf(result: Record<string, unknown>): Record<string, unknown>[] | undefined {
  for (const value of Object.values(result)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      return value as Record<string, unknown>[];
    }
  }
  return undefined;
}
