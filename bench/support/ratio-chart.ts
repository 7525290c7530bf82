/** One bar: a ratio (ours ÷ peer) and the target it should reach, if any. */
export interface RatioBar {
  readonly label: string;
  readonly value: number;
  readonly target?: number;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart of ratios as SVG text: a bar per ratio (green when its target is met,
 * red when not, grey without one), a dashed mark at each target and a line at 1×.
 */
export function ratioChart(bars: readonly RatioBar[], title: string): string {
  const labelWidth = 190;
  const plotWidth = 420;
  const rowHeight = 28;
  const top = 40;
  const max = Math.max(2, ...bars.map((bar) => Math.max(bar.value, bar.target ?? 0))) * 1.1;
  const x = (value: number) => labelWidth + (value / max) * plotWidth;
  const height = top + bars.length * rowHeight + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plotWidth + 70}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    const colour =
      bar.target === undefined ? '#888' : bar.value >= bar.target ? '#2e7d32' : '#c62828';
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${(x(bar.value) - labelWidth).toFixed(1)}" height="${rowHeight - 10}" fill="${colour}"/>`,
      `<text x="${(x(bar.value) + 4).toFixed(1)}" y="${y + 15}">${bar.value.toFixed(2)}×</text>`,
    );
    if (bar.target !== undefined) {
      const tx = x(bar.target).toFixed(1);
      parts.push(
        `<line x1="${tx}" x2="${tx}" y1="${y}" y2="${y + rowHeight - 4}" stroke="black" stroke-dasharray="3,2"/>`,
      );
    }
  });
  const one = x(1).toFixed(1);
  const bottom = top + bars.length * rowHeight;
  parts.push(
    `<line x1="${one}" x2="${one}" y1="${top - 4}" y2="${bottom}" stroke="#555"/>`,
    `<text x="${one}" y="${bottom + 16}" text-anchor="middle">1× (peer)</text>`,
    `<text x="${labelWidth + plotWidth}" y="${bottom + 16}" text-anchor="end" fill="#555">dashed: target</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
