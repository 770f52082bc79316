// A list of what is wrong at the top of (or beside) a form, each item a link to its field.
import { type Child, h } from './dom.ts';

/**
 * A link that moves focus to a field. Handled here, not by the router, which would take a plain
 * "#id" for another page.
 */
export function focusLink(target: HTMLElement, text: Child, href = `#${target.id}`): HTMLElement {
  return h(
    'a',
    {
      href,
      on: {
        click: (event) => {
          event.preventDefault();
          target.focus();
        },
      },
    },
    text,
  );
}

/** An alert with an introduction ("Nog niet opgeslagen: …") and one line per problem. */
export function errorSummary(intro: string, items: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'notice error error-summary', role: 'alert' },
    h('p', null, intro),
    h('ul', null, ...items.map((item) => h('li', null, item))),
  );
}
