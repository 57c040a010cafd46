import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  ArcElement,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family =
  getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui';
Chart.defaults.color = '#5b6275';
Chart.defaults.borderColor = '#e6e8ef';

/** The palette charts share (matches the CSS variables). */
export const COLORS = {
  indigo: '#4f46e5',
  teal: '#0d9488',
  amber: '#d97706',
  rose: '#e11d48',
  sky: '#0284c7',
  slate: '#94a3b8',
};

/**
 * A chart.js chart in a canvas that keeps its aspect on any width. `summary` is the text alternative
 * screen readers get (canvas content is invisible to them).
 */
export function ChartCanvas({
  config,
  summary,
  height = 260,
}: {
  config: ChartConfiguration;
  summary: string;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);
  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
