// Asking before something drastic, and a panel that opens in the page for one task (a small
// form with its own heading), then closes and gives the focus back to where the person was.
import { button, type Child, h, replace } from './dom.ts';

/** Yes or no before something that cannot easily be undone. */
export function confirmed(question: string): boolean {
  return window.confirm(question);
}

export interface PanelOptions {
  title: string;
  body: Child[];
  submitLabel: string;
  /** Does the work; the panel closes when it answers true. */
  onSubmit: () => Promise<boolean> | boolean;
  /** Where the focus goes when the panel closes (the button that opened it). */
  returnFocus: () => HTMLElement | null;
}

/** Opens a panel with a form inside `container` (replacing what was there) and focuses its heading. */
export function openPanel(container: HTMLElement, options: PanelOptions): void {
  const close = (): void => {
    container.replaceChildren();
    options.returnFocus()?.focus();
  };
  const heading = h('h2', { tabindex: -1 }, options.title);
  const form = h(
    'form',
    {
      class: 'narrow form',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          if (await options.onSubmit()) close();
        },
      },
    },
    ...options.body,
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'submit' }, options.submitLabel),
      button('Annuleren', close, { class: 'secondary' }),
    ),
  );
  replace(container, h('section', { class: 'panel' }, heading, form));
  heading.focus();
}

/** Closes a panel without giving the focus anywhere (the page is drawn again). */
export function closePanel(container: HTMLElement, focus?: HTMLElement | null): void {
  container.replaceChildren();
  focus?.focus();
}
