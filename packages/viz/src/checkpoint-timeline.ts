// Over 300 lines: the DOM wiring of one view (cells, marks, memory area, legend, player and keyboard); the data it draws is core's simulateSchedule.
import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { area, curveStepAfter } from 'd3-shape';
import { superscript } from './format.js';
import { createMessage } from './message.js';
import { createTooltip } from './tooltip.js';
import { checkTimelineData, describeStep } from './schedule-sim.js';
import type { CellState, ScheduleStep, TimelineCell, TimelineSimulation } from './types.js';
import { type BaseOptions, createSvg, mountView, type ViewHandle } from './view.js';

/** Options of `checkpointTimeline`. */
export interface CheckpointTimelineOptions extends BaseOptions {
  /** Height of one layer's row in pixels. Default 16. */
  readonly rowHeight?: number;
  /** Height of the live-memory area chart in pixels. Default 90. */
  readonly memoryHeight?: number;
  /** Milliseconds per step while playing. Default 350. */
  readonly interval?: number;
  /** Step the cursor starts on; default: the last step, so the whole schedule shows. */
  readonly start?: number;
}

export const checkpointTimelineDefaults = { rowHeight: 16, memoryHeight: 90, interval: 350 } as const;

/**
 * What `checkpointTimeline(...).update` reads: the schedule (`checkpointSchedule(L, strategy)`
 * from core) and core's simulation of it, `simulateSchedule(L, steps, widths, { cells: true })`,
 * which checks it and gives the state of every activation at every step (with widths n_0..n_L
 * the memory chart counts units per sample instead of buffers).
 */
export interface CheckpointTimelineData {
  readonly steps: readonly ScheduleStep[];
  readonly simulation: TimelineSimulation;
}

/** The timeline's handle: `update`, `destroy`, and the player. */
export interface CheckpointTimelineHandle extends ViewHandle<CheckpointTimelineData> {
  play(): void;
  pause(): void;
  /** Move the cursor by `delta` steps (clamped). */
  step(delta: number): void;
  /** Put the cursor on step `index` (clamped). */
  seek(index: number): void;
  /** The step under the cursor. */
  readonly position: number;
  readonly playing: boolean;
}

/** Cell colours; the marks drawn over event cells keep them apart in greyscale too. */
export const CELL_COLORS: Readonly<Record<CellState, string>> = {
  live: '#c9d3e8',
  stored: '#23408e',
  computed: '#e3791d',
  recomputed: '#f6c089',
  used: '#3d7a3a',
  freed: '#ffffff',
};

const MARK: Partial<Record<CellState, string>> = { computed: '▶', recomputed: '↻', used: '◆', freed: '✕' };
const LEGEND: readonly [CellState, string][] = [
  ['live', 'live'],
  ['stored', 'stored (checkpoint)'],
  ['computed', '▶ computed'],
  ['recomputed', '↻ recomputed'],
  ['used', '◆ read by backward'],
  ['freed', '✕ freed'],
];

const MARGIN = { top: 8, right: 12, left: 44 };

/**
 * The checkpoint timeline: time flows left to right, one row per activation g^0..g^L (g^0 on
 * top); each cell shows whether g^k is computed, recomputed, kept as a checkpoint, read by the
 * backward pass or freed at that step, and the live memory is an area chart beneath. Play,
 * pause and step with the buttons, or focus the view and use ← → (step), space (play/pause),
 * Home and End.
 */
export function checkpointTimeline(container: Element, options: CheckpointTimelineOptions = {}): CheckpointTimelineHandle {
  const o = { ...checkpointTimelineDefaults, ...options };
  const m = mountView(container, options, 'timeline', 'Checkpoint timeline', () => render());
  m.root.setAttribute('tabindex', '0');
  const controls = m.doc.createElement('div');
  controls.className = 'nabla-controls';
  controls.style.cssText = 'display:flex;gap:6px;align-items:center;margin:0 0 4px 0;';
  m.root.appendChild(controls);
  const addButton = (name: string, text: string, label: string, action: () => void): HTMLButtonElement => {
    const b = m.doc.createElement('button');
    b.type = 'button';
    b.className = `nabla-${name}`;
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.style.cssText = 'font:12px system-ui,sans-serif;min-width:28px;';
    b.addEventListener('click', action);
    controls.appendChild(b);
    return b;
  };
  addButton('first', '|◀', 'First step', () => seek(0));
  addButton('back', '◀', 'Step back', () => move(-1));
  const playButton = addButton('play', '▶ play', 'Play', () => (timer === null ? play() : pause()));
  addButton('forward', '▶|', 'Step forward', () => move(1));
  const status = m.doc.createElement('span');
  status.className = 'nabla-status';
  status.setAttribute('aria-live', 'polite');
  status.style.marginLeft = '6px';
  controls.appendChild(status);
  const svg = createSvg(m, options.label ?? 'Checkpoint timeline: activations alive at each step and live memory');
  const root = select(svg);
  const gRows = root.append('g').attr('class', 'rows');
  const gCells = root.append('g').attr('class', 'cells');
  const gMarks = root.append('g').attr('class', 'marks').attr('text-anchor', 'middle').attr('pointer-events', 'none');
  const gMemory = root.append('g').attr('class', 'memory');
  const cursor = root.append('rect').attr('class', 'cursor').attr('fill', 'none').attr('stroke', '#111').attr('stroke-width', 1.5);
  const gLegend = root.append('g').attr('class', 'legend');
  const message = createMessage(m.root, () => [svg, controls]);
  const tip = createTooltip(m.root);
  const STATE_TEXT: Record<CellState, string> = {
    live: 'live',
    stored: 'kept as a checkpoint',
    computed: 'computed',
    recomputed: 'recomputed',
    used: 'read by the backward pass',
    freed: 'freed',
  };
  // Hover a cell to read it; click it to move the cursor there.
  gCells
    .style('cursor', 'pointer')
    .on('pointerover', (event: PointerEvent) => {
      const d = (event.target as Element & { __data__?: TimelineCell }).__data__;
      if (!d || !data) return;
      tip.show(`g^${d.layer} at step ${d.step + 1}: ${STATE_TEXT[d.state]}\n${describeStep(data.steps[d.step]!)}`, geometry.x(d.step), MARGIN.top + (d.layer + 1) * o.rowHeight + controls.offsetHeight);
    })
    .on('pointerout', () => tip.hide())
    .on('click', (event: MouseEvent) => {
      const d = (event.target as Element & { __data__?: TimelineCell }).__data__;
      if (d) seek(d.step);
    });
  let data: CheckpointTimelineData | null = null;
  let sim: TimelineSimulation | null = null;
  let position = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let geometry = { x: (t: number) => t, cellW: 1, top: 0, bottom: 0 };

  const onKey = (event: Event): void => {
    const e = event as KeyboardEvent;
    if ((e.target as Element).tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1 };
    if (e.key in step) move(step[e.key]!);
    else if (e.key === 'Home') seek(0);
    else if (e.key === 'End') seek(Number.POSITIVE_INFINITY);
    else if (e.key === ' ') {
      if (timer === null) play();
      else pause();
    } else return;
    e.preventDefault();
  };
  m.root.addEventListener('keydown', onKey);
  m.onDispose(() => m.root.removeEventListener('keydown', onKey));
  m.onDispose(() => pause());

  function total(): number {
    return data?.steps.length ?? 0;
  }
  function seek(i: number): void {
    const n = total();
    position = n === 0 ? 0 : Math.max(0, Math.min(n - 1, Math.floor(Number.isFinite(i) ? i : n - 1)));
    showPosition();
  }
  function move(delta: number): void {
    seek(position + delta);
  }
  function play(): void {
    if (timer !== null || total() === 0) return;
    if (position >= total() - 1) seek(0);
    timer = setInterval(() => {
      if (position >= total() - 1) pause();
      else move(1);
    }, o.interval);
    playButton.textContent = '⏸ pause';
    playButton.setAttribute('aria-label', 'Pause');
  }
  function pause(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.textContent = '▶ play';
    playButton.setAttribute('aria-label', 'Play');
  }

  function showPosition(): void {
    if (!data || !sim) return;
    const s = data.steps[position];
    const live = sim.liveUnitsAfter[position] ?? 0;
    status.textContent = s ? `Step ${position + 1} of ${total()}: ${describeStep(s)} · live ${live} · peak ${sim.peakUnits}` : '';
    gCells.selectAll<SVGRectElement, TimelineCell>('rect.cell').attr('opacity', (d) => (d.step <= position ? 1 : 0.18));
    gMarks.selectAll<SVGTextElement, TimelineCell>('text').attr('opacity', (d) => (d.step <= position ? 1 : 0.18));
    cursor
      .attr('x', geometry.x(position))
      .attr('width', geometry.cellW)
      .attr('y', geometry.top)
      .attr('height', geometry.bottom - geometry.top);
  }

  function render(): void {
    if (!data || !sim) return;
    const L = sim.layers;
    const T = data.steps.length;
    const width = m.width();
    const rowH = o.rowHeight;
    const rowsH = (L + 1) * rowH;
    const memTop = MARGIN.top + rowsH + 22;
    const memH = o.memoryHeight;
    const legendTop = memTop + memH + 16;
    const innerW = width - MARGIN.left - MARGIN.right;
    // Keys side by side, each as wide as its text (about 6 px a character at 11 px), wrapping
    // onto another row where the view is too narrow for them all.
    const keys: { x: number; row: number; w: number }[] = [];
    for (const [, text] of LEGEND) {
      const w = 24 + text.length * 6;
      const last = keys[keys.length - 1];
      let at = last === undefined ? { x: 0, row: 0 } : { x: last.x + last.w, row: last.row };
      if (at.x > 0 && at.x + w - 10 > innerW) at = { x: 0, row: at.row + 1 };
      keys.push({ ...at, w });
    }
    const legendRows = (keys[keys.length - 1]?.row ?? 0) + 1;
    const height = legendTop + 18 * legendRows;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const cellW = innerW / Math.max(1, T);
    const x = (t: number): number => MARGIN.left + t * cellW;
    const y = (k: number): number => MARGIN.top + k * rowH;
    geometry = { x, cellW, top: MARGIN.top - 2, bottom: memTop + memH };

    const long = `live ${sim.widths ? 'activation units per sample' : 'activations'} · peak ${sim.peakUnits} · ${sim.forwardEvaluations} forwards (${sim.recomputations} recomputed)`;
    // The short form where the long one would run past the view (about 6 px a character).
    const caption = long.length * 6 <= innerW ? long : `live · peak ${sim.peakUnits} · ${sim.forwardEvaluations} fwd (${sim.recomputations} recomp.)`;
    gRows
      .selectAll<SVGTextElement, number>('text.row')
      .data(Array.from({ length: L + 1 }, (_, k) => k))
      .join('text')
      .attr('class', 'row')
      .attr('x', MARGIN.left - 6)
      .attr('y', (k) => y(k) + rowH * 0.72)
      .attr('text-anchor', 'end')
      .attr('fill', 'currentColor')
      .text((k) => `g${superscript(k)}`);
    gRows
      .selectAll<SVGLineElement, number>('line.grid')
      .data(Array.from({ length: L + 2 }, (_, k) => k))
      .join('line')
      .attr('class', 'grid')
      .attr('x1', MARGIN.left)
      .attr('x2', MARGIN.left + innerW)
      .attr('y1', (k) => y(k))
      .attr('y2', (k) => y(k))
      .attr('stroke', '#e4e4e4');
    gCells
      .selectAll<SVGRectElement, TimelineCell>('rect.cell')
      .data(sim.cells ?? [])
      .join('rect')
      .attr('class', (d) => `cell ${d.state}`)
      .attr('x', (d) => x(d.step))
      .attr('y', (d) => y(d.layer) + 1)
      .attr('width', Math.max(0.5, cellW - (cellW > 4 ? 1 : 0)))
      .attr('height', rowH - 2)
      .attr('fill', (d) => CELL_COLORS[d.state])
      .attr('stroke', (d) => (d.state === 'freed' ? '#999' : null))
      .attr('stroke-width', 0.5);
    const marked = cellW >= 7 ? (sim.cells ?? []).filter((c) => MARK[c.state] !== undefined) : [];
    gMarks
      .selectAll<SVGTextElement, TimelineCell>('text')
      .data(marked)
      .join('text')
      .attr('x', (d) => x(d.step) + cellW / 2)
      .attr('y', (d) => y(d.layer) + rowH / 2 + Math.min(cellW, rowH) * 0.22)
      .attr('font-size', Math.min(cellW, rowH) * 0.62)
      .attr('fill', (d) => (d.state === 'recomputed' || d.state === 'freed' ? '#222' : '#fff'))
      .text((d) => MARK[d.state]!);

    // Live memory beneath, same time axis.
    const values = sim.liveUnitsAfter;
    const ym = scaleLinear()
      .domain([0, Math.max(1, sim.peakUnits)])
      .nice()
      .range([memTop + memH, memTop]);
    const pts: [number, number][] = values.map((v, t) => [x(t), v]);
    if (T > 0) pts.push([x(T), values[T - 1]!]);
    gMemory
      .selectAll<SVGPathElement, [number, number][]>('path.live')
      .data([pts])
      .join('path')
      .attr('class', 'live')
      .attr('fill', '#9fb0d6')
      .attr('stroke', '#23408e')
      .attr('d', area<[number, number]>()
        .curve(curveStepAfter)
        .x((p) => p[0])
        .y0(memTop + memH)
        .y1((p) => ym(p[1])));
    gMemory
      .selectAll<SVGGElement, number>('g.axis')
      .data([0])
      .join('g')
      .attr('class', 'axis')
      .attr('transform', `translate(${MARGIN.left},0)`)
      .call(axisLeft(ym).ticks(3).tickSizeOuter(0));
    gMemory
      .selectAll<SVGTextElement, number>('text.caption')
      .data([0])
      .join('text')
      .attr('class', 'caption')
      .attr('x', MARGIN.left)
      .attr('y', memTop - 6)
      .attr('fill', 'currentColor')
      .text(caption);
    const legend = gLegend
      .attr('transform', `translate(${MARGIN.left},${legendTop})`)
      .selectAll<SVGGElement, (typeof LEGEND)[number]>('g.key')
      .data(LEGEND)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'key');
        g.append('rect').attr('width', 10).attr('height', 10).attr('y', -9).attr('stroke', '#999').attr('stroke-width', 0.5);
        g.append('text').attr('x', 14).attr('fill', 'currentColor');
        return g;
      });
    legend.attr('transform', (_, i) => `translate(${keys[i]!.x},${keys[i]!.row * 18})`);
    legend.select('rect').attr('fill', (d) => CELL_COLORS[d[0]]);
    legend.select('text').text((d) => d[1]);
    showPosition();
  }

  return {
    update(next) {
      pause();
      const problem = checkTimelineData(next);
      if (problem !== undefined) {
        data = sim = null;
        gCells.selectAll('*').remove();
        gMarks.selectAll('*').remove();
        gMemory.selectAll('*').remove();
        message.set(`Checkpoint timeline: cannot draw this schedule: ${problem}.`);
        return;
      }
      message.set(null);
      const first = data === null;
      data = next;
      sim = next.simulation;
      if (first || position >= total()) position = Math.max(0, Math.min(total() - 1, o.start ?? total() - 1));
      render();
    },
    destroy() {
      m.dispose();
    },
    play,
    pause,
    step: move,
    seek,
    get position() {
      return position;
    },
    get playing() {
      return timer !== null;
    },
  };
}
