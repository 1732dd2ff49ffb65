// Number formats shared by the benchmark sections: the same digits in the tables, the hover
// titles and the static HTML (toLocaleString with a fixed locale, so server and client agree).
import type { ReactNode } from 'react';
import styles from './bench.module.css';
import type { Stat } from './results';

/** `v` with `d` decimals and thousands separators. */
export const fixed = (v: number, d = 0): string => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Three significant digits for small values, whole numbers from 100 on: 0.42, 3.89, 19.5, 85,090. */
export function num(v: number): string {
  const a = Math.abs(v);
  return fixed(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/** A fraction as a percentage: 0.8603 -> "86.0 %". */
export const percent = (v: number): string => `${fixed(100 * v, 1)} %`;

/** A ratio: 1.5348 -> "1.53×". */
export const times = (v: number): string => `${fixed(v, 2)}×`;

/** A median with its range (min–max) in small type, `unit` after the median: "1.53× (1.23–1.79)". */
export function Range({ s, format = num, unit = '' }: { s: Stat; format?: (v: number) => string; unit?: string }): ReactNode {
  return (
    <>
      {format(s.median)}
      {unit}{' '}
      <small className={styles.range}>
        ({format(s.min)}–{format(s.max)})
      </small>
    </>
  );
}

/** A ratio's median and range: "1.53× (1.23–1.79)". */
export const RatioRange = ({ s }: { s: Stat }): ReactNode => <Range s={s} format={(v) => fixed(v, 2)} unit="×" />;

/** What the page says where a results file lacks a section (an older run). */
export function Absent({ what, file, command = 'pnpm bench:speed' }: { what: string; file: string; command?: string }): ReactNode {
  return (
    <p data-testid="bench-absent">
      The committed <code>{file}</code> has no {what}: it comes from an older run, or from a run that skipped it. Run <code>{command}</code> to add it.
    </p>
  );
}
