import { checkpointTimeline } from './checkpoint-timeline.js';
import { decisionBoundary } from './decision-boundary.js';
import { memoryChart } from './memory-chart.js';
import { networkDiagram } from './network-diagram.js';
import { trainingCurves } from './training-curves.js';
import type { BaseOptions, ViewHandle } from './view.js';
import { weightHeatmap } from './weight-heatmap.js';

/**
 * Custom elements wrapping the views, for plain HTML:
 * `<nabla-network>`, `<nabla-curves>`, `<nabla-boundary>`, `<nabla-timeline>`, `<nabla-memory>`,
 * `<nabla-weights>`. Attributes are the options in kebab case (`max-units="16"`,
 * `log-scale`); the `options` property takes an options object (it wins over attributes); the
 * `data` property calls `update`; a `src` attribute fetches JSON and draws it; the `view`
 * property is the underlying handle.
 *
 * This module is the package's `@nabla/viz/elements` entry point: importing it defines the
 * elements where the environment has `customElements` (the only side effect of the package,
 * listed in its `sideEffects`). The main entry `@nabla/viz` defines nothing.
 */

type Parse = 'number' | 'boolean' | 'string' | 'shape';

/** The interface every Nabla element has beyond HTMLElement. */
export interface NablaElement<D = unknown, O = BaseOptions> extends HTMLElement {
  /** Options object; merged over the attributes. Setting it redraws the view. */
  options: Partial<O>;
  /** The data drawn; setting it calls the view's `update`. */
  data: D | undefined;
  /** The view's handle while the element is connected, else null. */
  readonly view: ViewHandle<D> | null;
}

function parse(value: string, how: Parse): unknown {
  switch (how) {
    case 'number':
      return Number(value);
    case 'boolean':
      return value !== 'false';
    case 'shape': {
      const m = /^(\d+)\s*x\s*(\d+)$/i.exec(value.trim());
      return m ? [Number(m[1]), Number(m[2])] : value;
    }
    default:
      return value;
  }
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const Base = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement;

/** Build the element class of a view; `attributes` maps attribute names to how they parse. */
export function viewElement<D, O extends BaseOptions>(
  create: (container: Element, options: O) => ViewHandle<D>,
  attributes: Readonly<Record<string, Parse>>,
): { new (): NablaElement<D, O>; readonly observedAttributes: string[] } {
  const all: Record<string, Parse> = { width: 'number', label: 'string', ...attributes };
  return class extends Base implements NablaElement<D, O> {
    static readonly observedAttributes = [...Object.keys(all), 'src'];
    #view: ViewHandle<D> | null = null;
    #data: D | undefined = undefined;
    #options: Partial<O> = {};
    #loading = 0;

    get options(): Partial<O> {
      return this.#options;
    }
    set options(value: Partial<O>) {
      this.#options = { ...value };
      this.#rebuild();
    }
    get data(): D | undefined {
      return this.#data;
    }
    set data(value: D | undefined) {
      this.#data = value;
      if (this.#view === null) this.#rebuild();
      else if (value !== undefined) this.#view.update(value);
    }
    get view(): ViewHandle<D> | null {
      return this.#view;
    }
    connectedCallback(): void {
      if (this.style.display === '') this.style.display = 'block';
      this.#rebuild();
      if (this.hasAttribute('src') && this.#data === undefined) void this.#load();
    }
    disconnectedCallback(): void {
      this.#view?.destroy();
      this.#view = null;
    }
    attributeChangedCallback(name: string, old: string | null, value: string | null): void {
      if (old === value) return;
      if (name === 'src') {
        if (this.isConnected) void this.#load();
      } else this.#rebuild();
    }
    #rebuild(): void {
      if (!this.isConnected) return;
      this.#view?.destroy();
      this.#view = null;
      this.replaceChildren();
      const fromAttributes: Record<string, unknown> = {};
      for (const [name, how] of Object.entries(all)) {
        const v = this.getAttribute(name);
        if (v !== null) fromAttributes[camel(name)] = parse(v, how);
      }
      const options = { ...fromAttributes, ...this.#options, document: this.ownerDocument } as unknown as O;
      this.#view = create(this, options);
      if (this.#data !== undefined) this.#view.update(this.#data);
    }
    async #load(): Promise<void> {
      const src = this.getAttribute('src');
      if (!src) return;
      const ticket = ++this.#loading;
      try {
        const response = await fetch(src);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const json = (await response.json()) as D;
        if (ticket === this.#loading) this.data = json;
      } catch (e) {
        if (ticket !== this.#loading) return;
        this.#view?.destroy();
        this.#view = null;
        const note = this.ownerDocument.createElement('div');
        note.className = 'nabla-message';
        note.setAttribute('role', 'alert');
        note.textContent = `${this.localName}: could not load ${src}: ${(e as Error).message}`;
        this.replaceChildren(note);
      }
    }
  };
}

export const NablaNetworkElement = viewElement(networkDiagram, { height: 'number', 'max-units': 'number', duration: 'number' });
export const NablaCurvesElement = viewElement(trainingCurves, { height: 'number', 'log-scale': 'boolean', x: 'string' });
export const NablaBoundaryElement = viewElement(decisionBoundary, { height: 'number', resolution: 'number', 'point-size': 'number' });
export const NablaTimelineElement = viewElement(checkpointTimeline, { 'row-height': 'number', 'memory-height': 'number', interval: 'number', start: 'number' });
export const NablaMemoryElement = viewElement(memoryChart, { height: 'number', metric: 'string' });
export const NablaWeightsElement = viewElement(weightHeatmap, { layer: 'number', image: 'shape', columns: 'number', height: 'number', scale: 'string' });

/** Tag names and their classes. */
export const elementTags = {
  'nabla-network': NablaNetworkElement,
  'nabla-curves': NablaCurvesElement,
  'nabla-boundary': NablaBoundaryElement,
  'nabla-timeline': NablaTimelineElement,
  'nabla-memory': NablaMemoryElement,
  'nabla-weights': NablaWeightsElement,
} as const;

/** Define the elements in `registry` (default: the global `customElements`), skipping tags already defined. */
export function defineElements(registry: CustomElementRegistry | undefined = typeof customElements === 'undefined' ? undefined : customElements): void {
  if (!registry) return;
  for (const [tag, cls] of Object.entries(elementTags)) {
    if (!registry.get(tag)) registry.define(tag, cls);
  }
}

defineElements();
