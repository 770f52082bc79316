// Asking why, when a change would alter the figures of a closed quarter (a restatement). Any form
// on any page can meet it: the API client asks through this dialog and sends the change again
// with the reason, so the typed work is never lost. A modal <dialog>: the browser keeps the focus
// inside it and gives it back when it closes.
import { h, uid } from './dom.ts';
import { clearFieldError, showFieldError } from './field-errors.ts';
import { sentence } from './messages.ts';

/** The longest reason the server takes. */
const MAX_REASON = 500;

/**
 * Shows why a reason is needed (the server's message) and asks for one. Resolves with the reason,
 * or null when the person cancels (nothing is saved then).
 */
export function askRestatementReason(message: string): Promise<string | null> {
  return new Promise((resolve) => {
    const id = uid('reden');
    const reason = h('textarea', { id, name: 'reason', rows: 3, maxlength: MAX_REASON, required: true });
    const heading = h('h2', { id: `${id}-title` }, 'Herziening van een vastgesteld kwartaal');
    let answered: string | null = null;
    const dialog = h(
      'dialog',
      { class: 'reason-dialog', 'aria-labelledby': heading.id },
      heading,
      h('p', null, sentence(message)),
      h(
        'p',
        { class: 'hint' },
        'De vastgestelde cijfers blijven bewaard; het bestuur ziet de herziene cijfers ernaast, met deze reden, uw naam en de datum.',
      ),
      h(
        'form',
        {
          method: 'dialog',
          novalidate: true,
          on: {
            submit: (event) => {
              const text = reason.value.trim();
              if (text === '') {
                event.preventDefault();
                showFieldError(reason, 'geef de reden van de herziening');
                reason.focus();
                return;
              }
              answered = text;
            },
          },
        },
        h('div', { class: 'field' }, h('label', { for: id }, 'Reden van de herziening'), reason),
        h(
          'p',
          { class: 'actions' },
          h('button', { type: 'submit' }, 'Opslaan met deze reden'),
          h(
            'button',
            { type: 'button', class: 'secondary', on: { click: () => dialog.close() } },
            'Annuleren',
          ),
        ),
      ),
    );
    reason.addEventListener('input', () => clearFieldError(reason));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answered);
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
