/**
 * The inline message a view draws instead of its chart when the data is unusable: the view
 * never throws on bad data and never draws garbage.
 */
export interface MessageSlot {
  /** Show `text` and hide the chart elements; `null` removes the message and shows them again. */
  set(text: string | null): void;
  /** The current message, or null. */
  readonly text: string | null;
}

export function createMessage(root: HTMLElement, hide: () => readonly Element[]): MessageSlot {
  let el: HTMLElement | null = null;
  let current: string | null = null;
  return {
    set(text) {
      current = text;
      for (const e of hide()) (e as HTMLElement | SVGElement).style.display = text === null ? '' : 'none';
      if (text === null) {
        el?.remove();
        el = null;
        return;
      }
      if (!el) {
        el = root.ownerDocument.createElement('div');
        el.className = 'nabla-message';
        el.setAttribute('role', 'alert');
        el.style.cssText = 'padding:12px;border:1px dashed #888;color:#333;background:#fafafa;';
        root.appendChild(el);
      }
      el.textContent = text;
    },
    get text() {
      return current;
    },
  };
}
