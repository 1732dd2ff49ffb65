import { type ReactNode, useEffect, useRef, useState } from 'react';
import { linearScale, logScale, tickLabel } from './scale';
import styles from './bench.module.css';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** The hover text of the point (an SVG <title>). */
  readonly title: string;
}

export interface ChartSeries {
  readonly name: string;
  /** The series' colour and dash: the same index gives the same look in every chart. */
  readonly style: number;
  readonly points: readonly ChartPoint[];
}

export interface LineChartOptions {
  readonly series: readonly ChartSeries[];
  /** The x values to tick at (the measured points; the x axis is logarithmic). */
  readonly xTicks: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly yLog: boolean;
  /** What the chart shows, for screen readers. */
  readonly label: string;
}

/** Dash patterns by style index, so the lines differ without colour too. */
export const DASHES = ['', '7 4', '2 3', '9 3 2 3', '4 4', '1 5'];

/** The width the chart is drawn at before the browser has measured its box (the static HTML). */
const DEFAULT_WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { top: 12, right: 18, bottom: 44, left: 60 };

/**
 * A line chart of a few series on a log x axis and a log or linear y axis, drawn as SVG by
 * React (so it is in the static HTML), one <path> per series and one circle per point with
 * its value as a <title>. Once in the browser it redraws at its box's width, so the text
 * keeps its size on a narrow screen.
 */
export default function LineChart({ series, xTicks, xLabel, yLabel, yLog, label }: LineChartOptions): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setWidth(Math.max(260, Math.round(el.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const all = series.flatMap((s) => s.points);
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  // The outer points sit a little inside the frame, so their circles are not clipped.
  const x = logScale(
    all.map((p) => p.x),
    [left + 10, right - 10],
    xTicks,
  );
  const ys = all.map((p) => p.y);
  const y = yLog ? logScale(ys, [bottom, top]) : linearScale(ys, [bottom, top]);
  const px = (v: number): string => v.toFixed(1);

  return (
    <div ref={box} className={styles.chartBox}>
      <svg className={styles.chart} viewBox={`0 0 ${width} ${HEIGHT}`} width="100%" role="img" aria-label={label}>
        <g className={styles.grid}>
          {y.ticks.map((t) => (
            <line key={t} x1={left} x2={right} y1={px(y(t))} y2={px(y(t))} />
          ))}
          {x.ticks.map((t) => (
            <line key={t} x1={px(x(t))} x2={px(x(t))} y1={top} y2={bottom} />
          ))}
        </g>
        <g className={styles.axis}>
          <line x1={left} x2={right} y1={bottom} y2={bottom} />
          <line x1={left} x2={left} y1={top} y2={bottom} />
          {y.ticks.map((t) => (
            <text key={t} x={left - 6} y={px(y(t))} dy="0.32em" textAnchor="end">
              {tickLabel(t)}
            </text>
          ))}
          {x.ticks.map((t) => (
            <text key={t} x={px(x(t))} y={bottom + 16} textAnchor="middle">
              {String(t)}
            </text>
          ))}
          <text x={(left + right) / 2} y={HEIGHT - 6} textAnchor="middle" className={styles.axisLabel}>
            {xLabel}
          </text>
          <text transform={`translate(14 ${(top + bottom) / 2}) rotate(-90)`} textAnchor="middle" className={styles.axisLabel}>
            {yLabel}
          </text>
        </g>
        {series.map((s) => {
          const pts = s.points.filter((p) => p.x > 0 && (!yLog || p.y > 0) && Number.isFinite(p.y));
          const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.x))},${px(y(p.y))}`).join('');
          return (
            <g key={s.name} className={styles[`series${s.style % DASHES.length}`]} data-series={s.name}>
              <path d={d} fill="none" strokeWidth={2} strokeDasharray={DASHES[s.style % DASHES.length] || undefined} data-contestant={s.name} />
              {pts.map((p) => (
                <circle key={p.x} cx={px(x(p.x))} cy={px(y(p.y))} r={4} data-x={p.x} data-y={p.y}>
                  <title>{p.title}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
