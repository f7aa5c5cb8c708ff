// Charts drawn by Chart.js on a canvas: bundled, nothing fetched from outside, and no inline
// style sheet (Chart.js 4 only sets CSSOM properties on its own canvas, which CSP allows).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4"];

export interface Series {
  label: string;
  values: (number | null)[];
}

export function lineChart(canvas: HTMLCanvasElement, labels: string[], series: Series[], yTitle: string, max?: number): Chart {
  return new Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.values, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true, tension: 0.2 })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, max, title: { display: true, text: yTitle } } },
    },
  });
}

/* Months "YYYY-MM" from from to to inclusive. */
export function monthLabels(from: string, n: number): string[] {
  const [y0, m0] = from.split("-").map(Number);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = (m0 - 1 + i) % 12, y = y0 + Math.floor((m0 - 1 + i) / 12);
    out.push(`${y}-${String(m + 1).padStart(2, "0")}`);
  }
  return out;
}

/* One small chart of a small multiple: a single series, no legend, a fixed y range so the
 * charts beside it share a scale. */
export function smallLine(canvas: HTMLCanvasElement, labels: string[], values: (number | null)[], max: number): Chart {
  return new Chart(canvas, {
    type: "line",
    data: { labels, datasets: [{ label: "% on time", data: values, borderColor: PALETTE[2], backgroundColor: PALETTE[2], spanGaps: false, pointRadius: 2 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { min: 0, max, ticks: { stepSize: 50 } }, x: { ticks: { maxTicksLimit: 6, autoSkip: true } } },
    },
  });
}
