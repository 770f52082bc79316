// A few DOM helpers instead of a view library: pages build plain elements and replace <main>.

export type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, unknown> & { class?: string; on?: Record<string, (event: Event) => void> };

/** Creates an element: h('button', { class: 'x', on: { click } }, 'Opslaan'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value as Record<string, (e: Event) => void>)) {
        el.addEventListener(event, handler);
      }
    } else if (key === 'class') {
      el.className = String(value);
    } else if (key in el && key !== 'list' && !key.startsWith('aria') && !key.startsWith('data')) {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else
      parent.appendChild(
        typeof child === 'string' || typeof child === 'number'
          ? document.createTextNode(String(child))
          : child,
      );
  }
}

export function replace(target: Element, ...children: Child[]): void {
  target.replaceChildren();
  append(target, children);
}

let idCounter = 0;
/** A unique id for label/control pairs. */
export function uid(prefix = 'f'): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: the label is always visible and tied to the control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid();
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** A status line that screen readers announce. */
export function notice(kind: 'ok' | 'error' | 'info', ...content: Child[]): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

/** Text for screen readers only ("Verwijderen" + " sector Zorg"). */
export function visuallyHidden(text: string): HTMLElement {
  return h('span', { class: 'visually-hidden' }, text);
}

/** Sets aria-describedby to the given ids (empty ones left out), or removes it. */
export function setDescribedBy(el: Element, ids: Array<string | null | undefined>): void {
  const value = [...new Set(ids.filter((id): id is string => !!id))].join(' ');
  if (value) el.setAttribute('aria-describedby', value);
  else el.removeAttribute('aria-describedby');
}

/** The ids in aria-describedby. */
export function describedBy(el: Element): string[] {
  return (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
}

/** Moves keyboard focus to an element that is not focusable by itself (a message, a heading). */
export function focusOn(el: HTMLElement | null | undefined): void {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && el.tabIndex < 0) el.tabIndex = -1;
  el.focus();
}

/** A button that is not a form's submit button. */
export function button(
  label: Child,
  onClick: (event: Event) => void,
  options: { class?: string; [attr: string]: unknown } = {},
): HTMLButtonElement {
  return h('button', { type: 'button', ...options, on: { click: onClick } }, label);
}
