import type {
  LoginCodeInput,
  LoginCodeReply,
  LoginInput,
  LoginReply,
  Session,
  TwoFactorEnrol,
} from '../../../server/contracts/auth.contract.ts';
import { ApiError, post } from '../api.ts';
import type { View } from '../router.ts';
import { ENDED_TEXT, endedSession, forgetEndedSession, goTo, homeOf, setSession } from '../shell.ts';
import { button, field, h, notice, replace } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems, showFieldError } from '../ui/field-errors.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { problemsOf } from '../ui/problems.ts';
import { codeInput, enrolSteps, recoveryCodesBlock } from '../ui/two-factor.ts';

// Words of the code step, kept together.
const TEXT = {
  codeLabel: 'Code uit uw authenticator-app',
  codeHint: 'De zes cijfers die de app nu toont voor dit account.',
  recoveryLabel: 'Herstelcode',
  recoveryHint:
    'Een van de herstelcodes die u bij het instellen kreeg, bijvoorbeeld abcd-efgh-ijkl-mnop. Elke herstelcode werkt één keer.',
  useRecovery: 'gebruik een herstelcode',
  useApp: 'gebruik de code uit de app',
  codeMissing: 'Vul de code van zes cijfers uit uw authenticator-app in.',
  recoveryMissing: 'Vul een van uw herstelcodes in.',
  notSignedIn: 'U bent nog niet ingelogd:',
  expired: 'Het inloggen duurde te lang. Log opnieuw in met uw e-mailadres en wachtwoord.',
};

function isSession(reply: LoginReply | LoginCodeReply): reply is Session {
  return 'csrfToken' in reply;
}

export function renderLogin(view: View): void {
  if (view.session) {
    // Already signed in (for example after the back button): go to the start page instead.
    view.navigate(homeOf(view.session));
    return;
  }
  const finish = (session: Session) => {
    setSession(session);
    const back = view.query.get('terug');
    goTo(back?.startsWith('/') && !back.startsWith('//') ? back : homeOf(session));
  };
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = h('div', { 'aria-live': 'polite' });
  const intro = h(
    'p',
    null,
    'Log in met het e-mailadres en wachtwoord van uw account. Heeft u een deellink gekregen? Open dan die link.',
  );
  const passwordForm = h(
    'form',
    {
      class: 'narrow',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          status.replaceChildren();
          let reply: LoginReply;
          try {
            reply = await post<LoginReply>('/api/auth/login', {
              email: email.value.trim(),
              password: password.value,
            } satisfies LoginInput);
          } catch (err) {
            status.append(notice('error', errorText(err, 'Inloggen lukte niet.')));
            password.focus();
            return;
          }
          if (isSession(reply)) {
            finish(reply);
            return;
          }
          password.value = '';
          const restart = (message: string) => {
            replace(view.main, heading, intro, passwordForm);
            status.replaceChildren(notice('error', message));
            password.focus();
          };
          const step =
            reply.twoFactor === 'enrol'
              ? enrolStep(reply, finish, restart)
              : codeStep(reply.challenge, finish, restart);
          replace(view.main, ...step.content);
          step.focus.focus();
        },
      },
    },
    field('E-mailadres', email),
    field('Wachtwoord', password),
    h('p', null, h('button', { type: 'submit' }, 'Inloggen')),
    status,
  );
  const heading = h('h1', null, 'Inloggen');
  const ended = endedSession();
  if (ended === 'deellink') {
    // A share link has no password: a login form would be no way forward for its visitor.
    const instead = button(ENDED_TEXT.accountInstead, () => {
      forgetEndedSession();
      replace(view.main, heading, intro, passwordForm);
      email.focus();
    });
    instead.className = 'link';
    view.main.append(
      h('h1', null, ENDED_TEXT.shareLinkTitle),
      h('p', null, ENDED_TEXT.shareLinkNext),
      h('p', null, instead),
    );
    return;
  }
  view.main.append(
    heading,
    ...(ended === 'account' ? [notice('info', `${ENDED_TEXT.session} ${ENDED_TEXT.loginNext}`)] : []),
    intro,
    passwordForm,
  );
}

interface Step {
  content: HTMLElement[];
  focus: HTMLElement;
}

/**
 * Sends the code of a challenge; a refused code is shown next to the field and in the summary
 * above the form, an expired challenge sends the person back to the password.
 */
async function sendCode(
  challenge: string,
  code: HTMLInputElement,
  summary: HTMLElement,
  missing: string,
  restart: (message: string) => void,
): Promise<LoginCodeReply | null> {
  clearFieldErrors(summary.parentElement ?? summary);
  summary.replaceChildren();
  const value = code.value.trim();
  if (value === '') {
    showFieldError(code, missing);
    summary.append(errorSummary(TEXT.notSignedIn, [focusLink(code, missing)]));
    code.focus();
    return null;
  }
  try {
    return await post<LoginCodeReply>('/api/auth/login/code', {
      challenge,
      code: value,
    } satisfies LoginCodeInput);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'two_factor_challenge_invalid') {
      restart(TEXT.expired);
      return null;
    }
    const { first, unplaced } = placeProblems(problemsOf(err), { code });
    const items = first
      ? [focusLink(code, sentence(problemsOf(err)[0]?.message ?? ''))]
      : [errorText(err, 'Inloggen lukte niet.')];
    summary.append(errorSummary(TEXT.notSignedIn, [...items, ...unplaced.map((p) => sentence(p.message))]));
    (first ?? code).focus();
    code.select();
    return null;
  }
}

/** The second step: a code from the app, or (after the link) a recovery code. */
function codeStep(challenge: string, finish: (s: Session) => void, restart: (m: string) => void): Step {
  const code = codeInput({ required: true });
  const summary = h('div', { 'aria-live': 'polite' });
  let recovery = false;
  const wrapper = field(TEXT.codeLabel, code, TEXT.codeHint);
  const label = wrapper.querySelector('label')!;
  const hint = wrapper.querySelector('.hint')!;
  const toggle = button(TEXT.useRecovery, () => {
    recovery = !recovery;
    clearFieldErrors(form);
    summary.replaceChildren();
    code.value = '';
    label.textContent = recovery ? TEXT.recoveryLabel : TEXT.codeLabel;
    hint.textContent = recovery ? TEXT.recoveryHint : TEXT.codeHint;
    code.inputMode = recovery ? 'text' : 'numeric';
    code.autocomplete = recovery ? 'off' : 'one-time-code';
    toggle.textContent = recovery ? TEXT.useApp : TEXT.useRecovery;
    code.focus();
  });
  toggle.className = 'link code-switch';
  const form = h(
    'form',
    { class: 'narrow', novalidate: true },
    summary,
    wrapper,
    h('p', null, toggle),
    h('p', null, h('button', { type: 'submit' }, 'Inloggen')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = recovery ? TEXT.recoveryMissing : TEXT.codeMissing;
    const reply = await sendCode(challenge, code, summary, missing, restart);
    if (reply) finish(reply);
  });
  return {
    content: [
      h('h1', null, 'Inloggen: tweede stap'),
      h(
        'p',
        null,
        'Uw wachtwoord klopt. Open de authenticator-app op uw telefoon en vul de code in die de app nu toont. ' +
          'Heeft u uw telefoon niet bij de hand? Gebruik dan een van uw herstelcodes.',
      ),
      form,
    ],
    focus: code,
  };
}

/** Setting up two-factor sign-in at sign-in (REQUIRE_2FA): the secret, then a code, then the recovery codes. */
function enrolStep(enrol: TwoFactorEnrol, finish: (s: Session) => void, restart: (m: string) => void): Step {
  const code = codeInput({ required: true });
  const summary = h('div', { 'aria-live': 'polite' });
  const heading = h('h1', null, 'Twee-staps-inloggen instellen');
  const form = h(
    'form',
    { class: 'narrow', novalidate: true },
    summary,
    enrolSteps(enrol.uri, enrol.secret),
    field(TEXT.codeLabel, code, TEXT.codeHint),
    h('p', null, h('button', { type: 'submit' }, 'Bevestigen en inloggen')),
  );
  const main = h(
    'div',
    null,
    h(
      'p',
      null,
      'Uw wachtwoord klopt. Voor uw account is twee-staps-inloggen verplicht: naast uw wachtwoord gebruikt u ' +
        'voortaan een code uit een app op uw telefoon. Stel het nu in; dit duurt een paar minuten.',
    ),
    form,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reply = await sendCode(enrol.challenge, code, summary, TEXT.codeMissing, restart);
    if (!reply) return;
    heading.textContent = 'Bewaar uw herstelcodes';
    const next = h('button', { type: 'button' }, 'Ik heb de herstelcodes bewaard, verder');
    next.addEventListener('click', () => finish(reply));
    replace(
      main,
      recoveryCodesBlock(reply.recoveryCodes ?? [], 'Twee-staps-inloggen staat aan.', 'info'),
      h('p', null, next),
    );
    next.focus();
  });
  return { content: [heading, main], focus: code };
}
