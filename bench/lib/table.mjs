// Renders the rows as one aligned Markdown table, readable in a terminal and pasteable into BENCHMARKS.md.

const groupDigits = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats a number with about three significant digits (thousands grouped, no exponent). */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return groupDigits.format(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function figure(summary, unit) {
  if (!summary) return '';
  const spread =
    summary.n > 1 && summary.p25 !== summary.p75 ? ` [${formatNumber(summary.p25)}–${formatNumber(summary.p75)}]` : '';
  return `${formatNumber(summary.median)} ${unit}${spread}`;
}

function ratioCell(ratio) {
  if (!ratio) return '';
  const spread = ratio.n > 1 ? ` [${ratio.p25.toFixed(2)}–${ratio.p75.toFixed(2)}]` : '';
  return `${ratio.median.toFixed(2)}×${spread}`;
}

function targetCell(row) {
  const { target } = row;
  if (!target) return '—';
  if (target.label) return target.label;
  const value = target.on === 'ratio' ? `${target.value}×` : `${formatNumber(target.value)} ${row.unit}`;
  return `${target.op === '<=' ? '≤' : '≥'} ${value}`;
}

function resultCell(row) {
  if (row.status === 'skipped') return `skipped: ${row.reason}`;
  if (row.status === 'crashed') return `CRASHED: ${row.reason}`;
  return row.verdict;
}

/** Turns rows into the table's text (a header, a separator and one line per row, columns padded to align). */
export function renderTable(rows) {
  const header = [
    'benchmark',
    'subject (median [p25–p75])',
    'baseline (median)',
    'ratio [p25–p75]',
    'target',
    'result',
  ];
  const lines = rows.map((row) => [
    row.name,
    row.status === 'ok' ? figure(row.subject, row.unit) + (row.subject.suffix ?? '') : '',
    row.status === 'ok' ? `${row.baseline.label}: ${formatNumber(row.baseline.median)} ${row.unit}` : '',
    row.status === 'ok' ? ratioCell(row.ratio) : '',
    row.status === 'ok' ? targetCell(row) : '',
    resultCell(row),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join(
    '\n',
  );
}
