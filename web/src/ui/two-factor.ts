// The parts of two-factor sign-in that the login page and "Mijn account" share: the code field,
// the steps to add the app, and the recovery codes shown once.
import { button, h, notice } from './dom.ts';

/** The field for a six-digit code (or a recovery code): numeric keyboard, filled by the phone. */
export function codeInput(options: { required?: boolean } = {}): HTMLInputElement {
  return h('input', {
    type: 'text',
    name: 'code',
    autocomplete: 'one-time-code',
    inputMode: 'numeric',
    maxLength: 40,
    spellcheck: false,
    class: 'input-code',
    ...(options.required ? { required: true } : {}),
  });
}

/** "JBSWY3DPEHPK3PXP…" in groups of four, easier to type over. */
export function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** The three steps to add the account to an authenticator app: the link, or the key to type over. */
export function enrolSteps(uri: string, secret: string): HTMLElement {
  return h(
    'ol',
    { class: 'steps' },
    h(
      'li',
      null,
      'Installeer een authenticator-app op uw telefoon, bijvoorbeeld Microsoft Authenticator, Google Authenticator of FreeOTP.',
    ),
    h(
      'li',
      null,
      'Voeg in de app een account toe. Open op uw telefoon ',
      h('a', { href: uri }, 'deze koppeling'),
      ', of kies in de app voor een sleutel invoeren en typ deze sleutel over:',
      h('p', { class: 'totp-secret' }, grouped(secret)),
    ),
    h('li', null, 'Vul hieronder de code in die de app nu toont.'),
  );
}

/**
 * The recovery codes, shown this once, with a button that copies them. `intro` starts the notice
 * (what just happened); the rest says how to keep and use them.
 */
export function recoveryCodesBlock(
  codes: readonly string[],
  intro: string,
  kind: 'info' | 'ok',
): HTMLElement {
  const copied = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      copied.textContent = 'Gekopieerd.';
    } catch {
      copied.textContent = 'Kopiëren lukte niet; selecteer de codes en kopieer ze met Ctrl+C.';
    }
  };
  return h(
    'div',
    { class: 'recovery-codes' },
    notice(
      kind,
      `${intro} Hieronder staan uw herstelcodes. Bewaar ze op een veilige plek, bijvoorbeeld in uw ` +
        'wachtwoordkluis of op papier: ze worden alleen nu getoond. Bent u uw telefoon kwijt, dan logt u in ' +
        'met een herstelcode; elke code werkt één keer.',
    ),
    h(
      'ul',
      { class: 'recovery-code-list', 'aria-label': 'Herstelcodes' },
      ...codes.map((c) => h('li', null, c)),
    ),
    h(
      'p',
      { class: 'actions' },
      button('Kopieer de herstelcodes', () => void copy(), { class: 'secondary' }),
      copied,
    ),
  );
}
