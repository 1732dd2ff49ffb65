/** The handle every view returns. */
export interface ViewHandle<D> {
  /** Draw new data; cheap enough to call on every training step. */
  update(data: D): void;
  /** Remove everything the view added to its container and stop its observers and timers. */
  destroy(): void;
}

/** Options every view accepts. */
export interface BaseOptions {
  /** Document to create elements in (tests, server rendering). Default: the container's owner document. */
  readonly document?: Document;
  /** Width in pixels. Default: the container's width, followed on resize (640 when it has none). */
  readonly width?: number;
  /** Accessible name of the view. Default: a description of the view. */
  readonly label?: string;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** What `mountView` returns: the root element and the services a view shares. */
export interface Mounted {
  readonly doc: Document;
  /** `div.nabla-view` appended to the container; everything the view draws lives inside. */
  readonly root: HTMLDivElement;
  /** Current width in pixels. */
  width(): number;
  /** True when the reader asked for reduced motion. */
  reducedMotion(): boolean;
  /** Add a listener outside the root (document, window) that `dispose` removes. */
  listen(target: EventTarget, type: string, fn: EventListener): void;
  /** Register a cleanup run by `dispose`. */
  onDispose(fn: () => void): void;
  /** Run every cleanup and remove the root. */
  dispose(): void;
}

/**
 * Create the root element of a view in `container` and, when no fixed width is given, follow the
 * container's width with a ResizeObserver (where the environment has one), calling `onResize`.
 */
export function mountView(
  container: Element,
  options: BaseOptions,
  kind: string,
  label: string,
  onResize: () => void,
): Mounted {
  if (container === null || typeof container !== 'object' || typeof (container as Element).appendChild !== 'function') {
    throw new TypeError(`${kind}: container must be a DOM element, got ${String(container)}`);
  }
  const doc = options.document ?? container.ownerDocument;
  const root = doc.createElement('div');
  root.className = `nabla-view nabla-${kind}`;
  root.setAttribute('role', 'figure');
  root.setAttribute('aria-label', options.label ?? label);
  root.style.position = 'relative';
  root.style.font = '11px system-ui, sans-serif';
  container.appendChild(root);
  const cleanups: (() => void)[] = [];
  const fixedWidth = options.width;
  let measured = 0;
  const measure = (): number => {
    const w = (container as HTMLElement).clientWidth;
    return typeof w === 'number' && w > 0 ? w : 640;
  };
  measured = measure();
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (fixedWidth === undefined && view && typeof view.ResizeObserver === 'function') {
    const observer = new view.ResizeObserver(() => {
      const w = measure();
      if (Math.abs(w - measured) >= 1) {
        measured = w;
        onResize();
      }
    });
    observer.observe(container);
    cleanups.push(() => observer.disconnect());
  }
  return {
    doc,
    root,
    width: () => Math.max(120, Math.floor(fixedWidth ?? measured)),
    reducedMotion: () => {
      try {
        return view?.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
      } catch {
        return false;
      }
    },
    listen(target, type, fn) {
      target.addEventListener(type, fn);
      cleanups.push(() => target.removeEventListener(type, fn));
    },
    onDispose(fn) {
      cleanups.push(fn);
    },
    dispose() {
      for (const fn of cleanups.splice(0)) fn();
      root.remove();
    },
  };
}

/** Create an SVG element of the root's document with a `<title>` (the view's accessible name). */
export function createSvg(m: Mounted, title: string): SVGSVGElement {
  const svg = m.doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  svg.style.display = 'block';
  svg.style.overflow = 'visible';
  const t = m.doc.createElementNS(SVG_NS, 'title');
  t.textContent = title;
  svg.appendChild(t);
  m.root.appendChild(svg);
  return svg;
}

/** A 2-D canvas context, or null where the environment has none (happy-dom, server rendering). */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}
