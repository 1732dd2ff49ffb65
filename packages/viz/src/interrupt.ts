import type { Selection } from 'd3-selection';
import { interrupt } from 'd3-transition';

/**
 * Stop the running transitions of every element in a selection. Using d3's `interrupt` function
 * (rather than only the `selection.interrupt` method) also makes bundlers keep d3-transition,
 * whose import adds `transition()` and `interrupt()` to selections: were it marked free of
 * side effects, a bundle that only calls the methods would drop it.
 */
export function interruptAll<E extends Element, D>(selection: Selection<E, D, Element | null, unknown>): void {
  selection.each(function () {
    interrupt(this);
  });
}
