/** A small tooltip positioned inside a view's root. */
export interface Tooltip {
  show(text: string, x: number, y: number): void;
  hide(): void;
}

export function createTooltip(root: HTMLElement): Tooltip {
  const el = root.ownerDocument.createElement('div');
  el.className = 'nabla-tooltip';
  el.setAttribute('role', 'status');
  el.style.cssText =
    'position:absolute;pointer-events:none;display:none;padding:3px 6px;background:rgba(20,20,20,0.88);color:#fff;border-radius:3px;white-space:pre;font:11px system-ui,sans-serif;z-index:1;';
  root.appendChild(el);
  return {
    show(text, x, y) {
      el.textContent = text;
      el.style.left = `${Math.round(x + 12)}px`;
      el.style.top = `${Math.round(y + 12)}px`;
      el.style.display = 'block';
    },
    hide() {
      el.style.display = 'none';
    },
  };
}
