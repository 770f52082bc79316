// Mijn account: two-factor sign-in (TOTP) for the signed-in account: set it up with an
// authenticator app, see how many recovery codes are left, make new ones, or switch it off.
import type {
  DisableTwoFactorInput,
  RecoveryCodes,
  TwoFactorCodeInput,
  TwoFactorSetup,
  TwoFactorStatus,
} from '../../../server/contracts/auth.contract.ts';
import { get, post } from '../api.ts';
import type { View } from '../router.ts';
import { button, field, h, notice, replace } from '../ui/dom.ts';
import { errorSummary, focusLink } from '../ui/error-summary.ts';
import { clearFieldErrors, placeProblems } from '../ui/field-errors.ts';
import { formatDate } from '../ui/format.ts';
import { ROLE_NAMES } from '../ui/labels.ts';
import { errorText, sentence } from '../ui/messages.ts';
import type { Problem } from '../ui/problems.ts';
import { problemsOf } from '../ui/problems.ts';
import { codeInput, enrolSteps, recoveryCodesBlock } from '../ui/two-factor.ts';

const CODE_LABEL = 'Code uit uw authenticator-app';
const CODE_HINT = 'De zes cijfers die de app nu toont.';
const CODE_MISSING = 'Vul de code van zes cijfers uit uw authenticator-app in.';

interface AccountPage {
  box: HTMLElement;
  status: HTMLElement;
}

export async function renderAccount(view: View): Promise<void> {
  view.main.append(h('h1', null, 'Mijn account'));
  if (!view.session || view.session.via === 'deellink') {
    view.main.append(
      h(
        'p',
        null,
        'U bekijkt deze toepassing via een deellink. Een deellink heeft geen account om in te stellen.',
      ),
    );
    return;
  }
  const page: AccountPage = { box: h('section', { 'aria-labelledby': 'twee-staps' }), status: h('div') };
  view.main.append(
    h(
      'p',
      null,
      `U bent ingelogd als ${view.session.user.email ?? ''} (${ROLE_NAMES[view.session.user.role]}).`,
    ),
    page.status,
    page.box,
  );
  await load(page);
}

async function load(page: AccountPage, done?: string): Promise<void> {
  let status: TwoFactorStatus;
  try {
    status = await get<TwoFactorStatus>('/api/auth/two-factor');
  } catch (err) {
    replace(page.status, notice('error', errorText(err, 'Uw accountgegevens konden niet worden geladen.')));
    return;
  }
  replace(page.status, done ? notice('ok', done) : null);
  if (status.enabled) drawEnabled(page, status);
  else drawDisabled(page, status);
}

function heading(): HTMLElement {
  return h('h2', { id: 'twee-staps' }, 'Beveiliging: twee-staps-inloggen');
}

const EXPLANATION =
  'Met twee-staps-inloggen vraagt de toepassing bij het inloggen na uw wachtwoord ook een code uit een ' +
  'authenticator-app op uw telefoon. Wie uw wachtwoord te weten komt, kan dan nog steeds niet inloggen.';

function drawDisabled(page: AccountPage, status: TwoFactorStatus): void {
  const start = h('button', { type: 'button' }, 'Twee-staps-inloggen instellen');
  start.addEventListener('click', () => void beginSetup(page));
  replace(
    page.box,
    heading(),
    h('p', null, EXPLANATION),
    status.required
      ? notice('info', 'Voor uw account is twee-staps-inloggen verplicht. Stel het nu in.')
      : h('p', null, 'Twee-staps-inloggen staat uit.'),
    h('p', null, start),
  );
}

function drawEnabled(page: AccountPage, status: TwoFactorStatus): void {
  replace(
    page.box,
    heading(),
    h(
      'p',
      null,
      `Twee-staps-inloggen staat aan${status.enabledAt ? ` sinds ${formatDate(status.enabledAt)}` : ''}. `,
      status.recoveryCodesLeft === 1
        ? 'U heeft nog 1 herstelcode.'
        : `U heeft nog ${status.recoveryCodesLeft} herstelcodes.`,
    ),
    status.recoveryCodesLeft <= 3
      ? notice('info', 'U heeft bijna geen herstelcodes meer. Maak nieuwe herstelcodes en bewaar ze goed.')
      : null,
    renewForm(page),
    status.required
      ? h(
          'p',
          null,
          'Twee-staps-inloggen is voor uw account verplicht en kan daarom niet uit. Nieuwe telefoon? ' +
            'Vraag de projectleider om uw twee-staps-inloggen te herstellen; daarna stelt u het opnieuw in.',
        )
      : disableForm(page),
  );
}

/**
 * Sends a form's request; what went wrong is shown next to its field and in the summary at the top
 * of the form. Answers the reply, or null when it was refused.
 */
async function submit<T>(
  form: HTMLFormElement,
  summary: HTMLElement,
  controls: Record<string, HTMLElement>,
  local: Problem[],
  intro: string,
  work: () => Promise<T>,
): Promise<T | null> {
  clearFieldErrors(form);
  summary.replaceChildren();
  let problems = local;
  let fallback: string | null = null;
  if (problems.length === 0) {
    try {
      return await work();
    } catch (err) {
      problems = problemsOf(err);
      if (problems.length === 0) fallback = errorText(err, 'Dat lukte niet.');
    }
  }
  const { first, unplaced } = placeProblems(problems, controls);
  const items = [
    ...problems
      .filter((p) => p.path !== undefined && controls[p.path])
      .map((p) => focusLink(controls[p.path!]!, sentence(p.message))),
    ...unplaced.map((p) => sentence(p.message)),
    ...(fallback ? [fallback] : []),
  ];
  summary.append(errorSummary(intro, items));
  first?.focus();
  return null;
}

function required(value: string, path: string, message: string): Problem[] {
  return value.trim() === '' ? [{ code: 'invalid_field', path, message }] : [];
}

async function beginSetup(page: AccountPage): Promise<void> {
  let setup: TwoFactorSetup;
  try {
    setup = await post<TwoFactorSetup>('/api/auth/two-factor/setup');
  } catch (err) {
    replace(page.status, notice('error', errorText(err, 'Instellen kon niet beginnen.')));
    return;
  }
  replace(page.status);
  const code = codeInput();
  const summary = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    summary,
    enrolSteps(setup.uri, setup.secret),
    field(CODE_LABEL, code, CODE_HINT),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Bevestigen'),
      button('Annuleren', () => void load(page), { class: 'secondary' }),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reply = await submit(
      form,
      summary,
      { code },
      required(code.value, 'code', CODE_MISSING),
      'Twee-staps-inloggen is nog niet ingesteld:',
      () =>
        post<RecoveryCodes>('/api/auth/two-factor/confirm', {
          code: code.value.trim(),
        } satisfies TwoFactorCodeInput),
    );
    if (reply) showRecoveryCodes(page, reply.recoveryCodes, 'Twee-staps-inloggen staat aan.');
  });
  replace(page.box, heading(), h('h3', null, 'Instellen'), form);
  code.focus();
}

function renewForm(page: AccountPage): HTMLElement {
  const code = codeInput();
  const summary = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    h('h3', null, 'Nieuwe herstelcodes'),
    h('p', null, 'De herstelcodes die u nu heeft, werken daarna niet meer.'),
    summary,
    field(CODE_LABEL, code, 'De zes cijfers die de app nu toont, of een herstelcode.'),
    h('p', null, h('button', { type: 'submit', class: 'secondary' }, 'Nieuwe herstelcodes maken')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reply = await submit(
      form,
      summary,
      { code },
      required(code.value, 'code', CODE_MISSING),
      'Er zijn geen nieuwe herstelcodes gemaakt:',
      () =>
        post<RecoveryCodes>('/api/auth/two-factor/recovery-codes', {
          code: code.value.trim(),
        } satisfies TwoFactorCodeInput),
    );
    if (reply) showRecoveryCodes(page, reply.recoveryCodes, 'Er zijn nieuwe herstelcodes gemaakt.');
  });
  return form;
}

function disableForm(page: AccountPage): HTMLElement {
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const code = codeInput();
  const summary = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    h('h3', null, 'Twee-staps-inloggen uitzetten'),
    summary,
    field('Wachtwoord', password),
    field(CODE_LABEL, code, 'De zes cijfers die de app nu toont, of een herstelcode.'),
    h('p', null, h('button', { type: 'submit', class: 'danger' }, 'Uitzetten')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const local = [
      ...required(password.value, 'password', 'Vul uw wachtwoord in.'),
      ...required(code.value, 'code', CODE_MISSING),
    ];
    const reply = await submit(
      form,
      summary,
      { password, code },
      local,
      'Twee-staps-inloggen staat nog aan:',
      async () => {
        await post('/api/auth/two-factor/disable', {
          password: password.value,
          code: code.value.trim(),
        } satisfies DisableTwoFactorInput);
        return true;
      },
    );
    if (reply)
      await load(page, 'Twee-staps-inloggen staat uit. U logt voortaan in met alleen uw wachtwoord.');
  });
  return form;
}

/** The recovery codes, shown this once, with a copy button. */
function showRecoveryCodes(page: AccountPage, codes: string[], done: string): void {
  const next = h('button', { type: 'button' }, 'Ik heb de herstelcodes bewaard');
  next.addEventListener('click', () => void load(page));
  const block = recoveryCodesBlock(codes, done, 'ok');
  block.append(h('p', null, next));
  replace(page.box, heading(), block);
  next.focus();
}
