// Signing in again without leaving the page. When a write is refused because the session ended
// (idle too long) or was replaced (the person signed in again in another tab), the API client
// asks through this dialog; after signing in, the same write is sent again and the page goes on
// as if nothing happened. The form on the page is never touched, so nothing typed is lost. A
// modal <dialog>: the browser keeps the focus inside it and gives it back when it closes.
import type {
  LoginCodeInput,
  LoginCodeReply,
  LoginInput,
  LoginReply,
  Session,
  SessionUser,
} from '../../../server/contracts/auth.contract.ts';
import { ApiError, onSessionRefused, post, type SessionRefusal, type SignInOutcome } from '../api.ts';
import { currentSession, endedSession, onSessionChange, setSession } from '../shell.ts';
import { h, notice, replace, uid } from './dom.ts';
import { clearFieldError, clearFieldErrors, showFieldError } from './field-errors.ts';
import { errorText, sentence } from './messages.ts';
import { codeInput } from './two-factor.ts';

/** The dialog's words, kept together. */
export const SIGN_IN_TEXT = {
  title: 'Opnieuw inloggen om op te slaan',
  what:
    'Uw sessie is verlopen of vervangen doordat u ergens anders opnieuw bent ingelogd. ' +
    'Wat u heeft ingevuld is bewaard. Log opnieuw in om op te slaan.',
  email: 'E-mailadres',
  password: 'Wachtwoord',
  submit: 'Inloggen en opslaan',
  cancel: 'Annuleren',
  close: 'Sluiten',
  emailMissing: 'Vul uw e-mailadres in.',
  passwordMissing: 'Vul uw wachtwoord in.',
  codeLabel: 'Code uit uw authenticator-app',
  codeHint:
    'De zes cijfers die de app nu toont, of een van uw herstelcodes (bijvoorbeeld abcd-efgh-ijkl-mnop).',
  codeIntro: 'Uw wachtwoord klopt. Vul nog de code uit uw authenticator-app in.',
  codeMissing: 'Vul de code van zes cijfers uit uw authenticator-app in.',
  codeExpired: 'Het inloggen duurde te lang. Vul uw wachtwoord opnieuw in.',
  enrol:
    'Voor uw account moet eerst twee-staps-inloggen worden ingesteld; dat kan alleen op de inlogpagina. ' +
    'Wat u heeft ingevuld, is nog niet opgeslagen.',
  failed: 'Inloggen lukte niet.',
} as const;

/** "U bent nu ingelogd als …": another account signed in, so the write is not sent for it. */
export function otherAccountText(signedIn: string, before: string): string {
  return (
    `u bent nu ingelogd als ${signedIn}, niet als ${before}; wat u heeft ingevuld is daarom niet opgeslagen. ` +
    `Laad de pagina opnieuw om verder te gaan als ${signedIn}`
  );
}

// Who was signed in last in this tab: after a session ended the shell forgets it, but the dialog
// still needs the e-mail address (to fill in, and to see whether the same account signs in).
let lastUser: SessionUser | null = currentSession()?.user ?? null;
onSessionChange(() => {
  const s = currentSession();
  if (s && s.via === 'account') lastUser = s.user;
});

function isSession(reply: LoginReply | LoginCodeReply): reply is Session {
  return 'csrfToken' in reply;
}

function sameAccount(a: SessionUser, b: SessionUser): boolean {
  return (a.email ?? '').toLowerCase() === (b.email ?? '').toLowerCase();
}

/**
 * Asks to sign in again; resolves with `retry: true` once the same account is signed in (the new
 * session is in place), or `retry: false` when the person cancels or another account signed in.
 * Null for a share link: it has no password to sign in with.
 */
export function askSignIn(_refusal: SessionRefusal): Promise<SignInOutcome> | null {
  const session = currentSession();
  // A share link has no password: its visitor gets the notice at the top of the page, as before.
  if (session ? session.via === 'deellink' : endedSession() === 'deellink') return null;
  const before = session?.user ?? lastUser;
  return new Promise((resolve) => {
    let outcome: SignInOutcome = { retry: false };
    const id = uid('opnieuw-inloggen');
    const heading = h('h2', { id: `${id}-title` }, SIGN_IN_TEXT.title);
    const status = h('div', { 'aria-live': 'polite' });
    const body = h('div', null);
    const dialog = h(
      'dialog',
      {
        class: 'sign-in-dialog',
        'aria-labelledby': heading.id,
        'aria-describedby': `${id}-what`,
      },
      heading,
      h('p', { id: `${id}-what` }, SIGN_IN_TEXT.what),
      status,
      body,
    );
    const say = (message: string) => replace(status, notice('error', message));
    const cancelButton = () =>
      h(
        'button',
        { type: 'button', class: 'secondary', on: { click: () => dialog.close() } },
        SIGN_IN_TEXT.cancel,
      );

    /** Signed in: the same account goes on, another account is told why nothing was saved. */
    const finish = (next: Session) => {
      if (!before || sameAccount(before, next.user)) {
        setSession(next);
        // The notice of an ended session at the top of the page (shell.ts) is no longer true.
        document.querySelector('main .session-ended')?.remove();
        outcome = { retry: true };
        dialog.close();
        return;
      }
      // Another account: this page holds the first account's work, so it is not given the new
      // session (a second press on Opslaan would save it under the other name); closing the
      // message loads the page afresh for the account now signed in.
      const message = sentence(otherAccountText(next.user.email ?? '', before.email ?? ''));
      outcome = { retry: false, message };
      status.replaceChildren();
      dialog.addEventListener('close', () => location.reload());
      const close = h('button', { type: 'button', on: { click: () => dialog.close() } }, SIGN_IN_TEXT.close);
      replace(body, notice('error', message), h('p', { class: 'actions' }, close));
      close.focus();
    };

    const email = h('input', {
      id: `${id}-email`,
      type: 'email',
      name: 'email',
      autocomplete: 'username',
      required: true,
      value: before?.email ?? '',
    });
    const password = h('input', {
      id: `${id}-password`,
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const passwordStep = (): void => {
      const submit = h('button', { type: 'submit' }, SIGN_IN_TEXT.submit);
      const form = h(
        'form',
        {
          novalidate: true,
          on: {
            submit: async (event) => {
              event.preventDefault();
              clearFieldErrors(form);
              status.replaceChildren();
              const missing: Array<[HTMLInputElement, string]> = [];
              if (email.value.trim() === '') missing.push([email, SIGN_IN_TEXT.emailMissing]);
              if (password.value === '') missing.push([password, SIGN_IN_TEXT.passwordMissing]);
              if (missing.length > 0) {
                for (const [control, message] of missing) showFieldError(control, message);
                missing[0]?.[0].focus();
                return;
              }
              submit.disabled = true;
              let reply: LoginReply;
              try {
                reply = await post<LoginReply>('/api/auth/login', {
                  email: email.value.trim(),
                  password: password.value,
                } satisfies LoginInput);
              } catch (err) {
                say(errorText(err, SIGN_IN_TEXT.failed));
                password.focus();
                return;
              } finally {
                submit.disabled = false;
              }
              password.value = '';
              if (isSession(reply)) finish(reply);
              else if (reply.twoFactor === 'required') codeStep(reply.challenge);
              else {
                say(SIGN_IN_TEXT.enrol);
                email.focus();
              }
            },
          },
        },
        h('div', { class: 'field' }, h('label', { for: email.id }, SIGN_IN_TEXT.email), email),
        h('div', { class: 'field' }, h('label', { for: password.id }, SIGN_IN_TEXT.password), password),
        h('p', { class: 'actions' }, submit, cancelButton()),
      );
      replace(body, form);
      for (const control of [email, password]) control.oninput = () => clearFieldError(control);
    };

    const codeStep = (challenge: string): void => {
      const code = codeInput({ required: true });
      code.id = `${id}-code`;
      const hint = h('span', { class: 'hint', id: `${id}-code-hint` }, SIGN_IN_TEXT.codeHint);
      code.setAttribute('aria-describedby', hint.id);
      code.addEventListener('input', () => clearFieldError(code));
      const submit = h('button', { type: 'submit' }, SIGN_IN_TEXT.submit);
      const form = h(
        'form',
        {
          novalidate: true,
          on: {
            submit: async (event) => {
              event.preventDefault();
              clearFieldErrors(form);
              status.replaceChildren();
              const value = code.value.trim();
              if (value === '') {
                showFieldError(code, SIGN_IN_TEXT.codeMissing);
                code.focus();
                return;
              }
              submit.disabled = true;
              let reply: LoginCodeReply;
              try {
                reply = await post<LoginCodeReply>('/api/auth/login/code', {
                  challenge,
                  code: value,
                } satisfies LoginCodeInput);
              } catch (err) {
                if (err instanceof ApiError && err.code === 'two_factor_challenge_invalid') {
                  passwordStep();
                  say(SIGN_IN_TEXT.codeExpired);
                  password.focus();
                  return;
                }
                showFieldError(code, errorText(err, SIGN_IN_TEXT.failed));
                code.focus();
                code.select();
                return;
              } finally {
                submit.disabled = false;
              }
              finish(reply);
            },
          },
        },
        h('p', null, SIGN_IN_TEXT.codeIntro),
        h('div', { class: 'field' }, h('label', { for: code.id }, SIGN_IN_TEXT.codeLabel), hint, code),
        h('p', { class: 'actions' }, submit, cancelButton()),
      );
      replace(body, form);
      code.focus();
    };

    // Escape while signing in is under way would drop the write although the sign-in succeeds.
    dialog.addEventListener('cancel', (event) => {
      if (dialog.querySelector('button[type="submit"]:disabled')) event.preventDefault();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(outcome);
    });
    passwordStep();
    document.body.append(dialog);
    dialog.showModal();
    (email.value === '' ? email : password).focus();
  });
}

onSessionRefused(askSignIn);
