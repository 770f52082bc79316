// The page of a one-time link (/uitnodiging#token): an invited person chooses a password for a
// new account, or someone with a reset link chooses a new one; then they are signed in.
import type { LoginReply, Session } from '../../../server/contracts/auth.contract.ts';
import type {
  AcceptInvitationInput,
  InvitationInfo,
  InvitationTokenInput,
} from '../../../server/contracts/invitation.contract.ts';
import type { MIN_PASSWORD_LENGTH } from '../../../server/contracts/user.contract.ts';
import { ApiError, post } from '../api.ts';
import type { View } from '../router.ts';
import { goTo, homeOf, setSession } from '../shell.ts';
import { field, h, notice, replace } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { formatDateTime } from '../ui/format.ts';
import { ROLE_NAMES } from '../ui/labels.ts';
import { errorText, sentence } from '../ui/messages.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';

/** The server's password policy (typed against it, so a change there fails the web's type check). */
const MIN_PASSWORD: typeof MIN_PASSWORD_LENGTH = 12;

// The page's words, kept together.
const TEXT = {
  noToken:
    'Deze link is niet compleet. Open de link precies zoals u hem kreeg, of vraag de projectleider om een nieuwe link.',
  invalid: 'Deze link werkt niet (meer). Vraag de projectleider om een nieuwe link.',
  loadFailed: 'De link kon niet worden gecontroleerd. Probeer het later opnieuw.',
  passwordMissing: 'Vul een wachtwoord in.',
  passwordShort: `Het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD} tekens.`,
  repeatMissing: 'Vul het wachtwoord nog een keer in.',
  repeatDiffers: 'De twee wachtwoorden zijn niet hetzelfde. Typ het wachtwoord nog een keer.',
  notSaved: 'Het wachtwoord is nog niet ingesteld:',
  failed: 'Het wachtwoord kon niet worden ingesteld. Probeer het opnieuw.',
};

/** The token after '#' (never sent to the server with the page), or in `?token=`. */
function readToken(view: View): string {
  let fromHash = location.hash.replace(/^#/, '').trim();
  try {
    fromHash = decodeURIComponent(fromHash);
  } catch {
    // A token is URL-safe base64; a broken escape is left as it is and refused by the server.
  }
  return fromHash || view.query.get('token')?.trim() || '';
}

function isSession(reply: LoginReply): reply is Session {
  return 'csrfToken' in reply;
}

export async function renderInvitation(view: View): Promise<void> {
  const token = readToken(view);
  // The token stays out of the address bar, the history and any screenshot from here on.
  if (location.hash || view.query.has('token')) history.replaceState(null, '', '/uitnodiging');
  const heading = h('h1', null, 'Wachtwoord kiezen');
  view.main.append(heading);
  if (!token) {
    view.main.append(notice('error', TEXT.noToken));
    return;
  }
  let info: InvitationInfo;
  try {
    info = await post<InvitationInfo>('/api/invitations/by-token', { token } satisfies InvitationTokenInput);
  } catch (err) {
    const invalid = err instanceof ApiError && err.code === 'invitation_invalid';
    view.main.append(notice('error', invalid ? TEXT.invalid : errorText(err, TEXT.loadFailed)));
    return;
  }
  heading.textContent =
    info.purpose === 'invite' ? 'Welkom: kies uw wachtwoord' : 'Kies een nieuw wachtwoord';
  view.main.append(introOf(info), passwordForm(view, token, info));
}

function introOf(info: InvitationInfo): HTMLElement {
  const who = h('strong', null, info.email);
  const until = `Deze link werkt één keer, tot ${formatDateTime(info.expiresAt)}.`;
  if (info.purpose === 'reset') {
    return h(
      'p',
      null,
      'U kiest een nieuw wachtwoord voor het account ',
      who,
      '. Wie nog met dit account is ingelogd, wordt uitgelogd. ',
      until,
    );
  }
  const role = ROLE_NAMES[info.role];
  return h(
    'p',
    null,
    'U bent uitgenodigd voor een account met het e-mailadres ',
    who,
    `, met de rol ${role}`,
    info.organisationName ? ` bij ${info.organisationName}` : '',
    '. Kies uw wachtwoord; daarna bent u meteen ingelogd. ',
    until,
  );
}

function passwordForm(view: View, token: string, info: InvitationInfo): HTMLFormElement {
  const password = h('input', {
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    required: true,
    minLength: MIN_PASSWORD,
  });
  const repeat = h('input', {
    type: 'password',
    name: 'repeat-password',
    autocomplete: 'new-password',
    required: true,
  });
  // Lets a password manager store the new password with the right account.
  const username = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    value: info.email,
    readOnly: true,
    hidden: true,
  });
  const summary = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    summary,
    username,
    field(
      info.purpose === 'invite' ? 'Wachtwoord' : 'Nieuw wachtwoord',
      password,
      `Minstens ${MIN_PASSWORD} tekens. Een zin van een paar woorden is sterk en goed te onthouden. ` +
        'Veelgebruikte wachtwoorden zoals "Welkom01!" worden geweigerd.',
    ),
    field('Herhaal het wachtwoord', repeat),
    h('p', null, h('button', { type: 'submit' }, 'Wachtwoord instellen en inloggen')),
  );
  view.guardLeave(() => password.value !== '' || repeat.value !== '');
  const controls = { password, repeat };

  /** Every problem next to its field and in the summary above the form, each linking to its field. */
  const show = (problems: Problem[], extra: string[] = []) => {
    const { first, unplaced } = placeProblems(problems, controls);
    const items = [
      ...problems
        .filter((p) => p.path !== undefined && p.path in controls)
        .map((p) => focusLink(controls[p.path as keyof typeof controls], sentence(p.message))),
      ...unplaced.map((p) => sentence(p.message)),
      ...extra,
    ];
    summary.replaceChildren(errorSummary(TEXT.notSaved, items));
    (first ?? password).focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    summary.replaceChildren();
    const problems = check(password.value, repeat.value);
    if (problems.length) {
      show(problems);
      return;
    }
    let reply: LoginReply;
    try {
      reply = await post<LoginReply>('/api/invitations/accept', {
        token,
        password: password.value,
      } satisfies AcceptInvitationInput);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invitation_invalid') {
        replace(form, notice('error', TEXT.invalid));
        return;
      }
      const fromServer = problemsOf(err);
      if (fromServer.length) show(fromServer);
      else show([], [errorText(err, TEXT.failed)]);
      return;
    }
    password.value = '';
    repeat.value = '';
    if (isSession(reply)) {
      setSession(reply);
      goTo(homeOf(reply));
      return;
    }
    // Two-factor sign-in: the password is set; the second step is done on the sign-in page.
    replace(
      form,
      notice(
        'ok',
        'Uw wachtwoord is ingesteld. Voor uw account hoort bij het inloggen ook een code uit uw authenticator-app. ',
        h('a', { href: '/inloggen' }, 'Log nu in'),
        ' met uw e-mailadres en uw nieuwe wachtwoord.',
      ),
    );
  });
  return form;
}

/** What is wrong before sending, per field, in plain Dutch. */
function check(password: string, repeat: string): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ code: 'invalid_field', path, message });
  if (password.trim() === '') problem('password', TEXT.passwordMissing);
  else if (password.trim().length < MIN_PASSWORD) problem('password', TEXT.passwordShort);
  if (repeat === '') problem('repeat', TEXT.repeatMissing);
  else if (password.trim() !== '' && repeat !== password) problem('repeat', TEXT.repeatDiffers);
  return problems;
}
