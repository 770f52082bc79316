// Accounts and share links: who may sign in, with which role, invitations and reset links (a
// one-time link where the person chooses a password), and the read-only links per organisation.
import type {
  CreatedInvitation,
  Invitation,
  NewInvitationInput,
  ResetLink,
} from '../../../server/contracts/invitation.contract.ts';
import type {
  OrganisationListItem as Organisation,
  OrganisationList,
} from '../../../server/contracts/organisation.contract.ts';
import type {
  CreatedShareLink,
  NewShareLinkInput,
  ShareLink,
} from '../../../server/contracts/share-link.contract.ts';
import type {
  MIN_PASSWORD_LENGTH,
  NewUserInput,
  PasswordInput,
  Role,
  UserListItem as User,
  UserPatch,
} from '../../../server/contracts/user.contract.ts';
import { ApiError, del, get, patch, post } from '../api.ts';
import type { View } from '../router.ts';
import { closePanel, confirmed, openPanel } from '../ui/dialog.ts';
import { button, field, h, notice, replace, uid, visuallyHidden } from '../ui/dom.ts';
import { formProblems } from '../ui/error-summary.ts';
import { clearFieldError, clearFieldErrors, placeProblems, showFieldError } from '../ui/field-errors.ts';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { ROLE_NAMES } from '../ui/labels.ts';
import { errorText } from '../ui/messages.ts';
import { type Problem, problemsOf } from '../ui/problems.ts';
import { dataTable } from '../ui/table.ts';

/** The server's password policy (typed against it, so a change there fails the web's type check). */
const MIN_PASSWORD: typeof MIN_PASSWORD_LENGTH = 12;

function roleSelect(selected: Role): HTMLSelectElement {
  return h(
    'select',
    { name: 'role', class: 'select-fit' },
    ...(Object.keys(ROLE_NAMES) as Role[]).map((r) =>
      h('option', { value: r, selected: r === selected }, ROLE_NAMES[r]),
    ),
  );
}

function organisationSelect(organisations: Organisation[], selected: number | null): HTMLSelectElement {
  return h(
    'select',
    { name: 'organisation', class: 'select-fit' },
    h('option', { value: '' }, 'Kies een organisatie'),
    ...organisations
      .filter((o) => !o.archived || o.id === selected)
      .map((o) =>
        h(
          'option',
          { value: String(o.id), selected: o.id === selected },
          o.archived ? `${o.name} (gearchiveerd)` : o.name,
        ),
      ),
  );
}

/** The organisation field shows only for the role organisatie. */
function organisationFollowsRole(
  role: HTMLSelectElement,
  orgField: HTMLElement,
  organisation: HTMLElement,
): void {
  orgField.hidden = role.value !== 'organisatie';
  role.addEventListener('change', () => {
    orgField.hidden = role.value !== 'organisatie';
    clearFieldError(organisation);
  });
}

const PASSWORD_TOO_SHORT = `Het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD} tekens.`;
const ORGANISATION_MISSING = 'Kies de organisatie waar dit account bij hoort.';

// ---------------------------------------------------------------------------------------------
// Accounts

/** The page's parts and what it has loaded. */
interface AccountsPage {
  status: HTMLElement;
  usersBox: HTMLElement;
  panel: HTMLElement;
  users: User[];
  organisations: Organisation[];
  myEmail: string | null;
  /** The invitation part, once drawn: a new reset link shows up in its list. */
  invitations: Invitations | null;
}

type FieldControls = Partial<Record<'email' | 'role' | 'organisationId' | 'password', HTMLElement>>;

export async function renderAccounts(view: View): Promise<void> {
  const page: AccountsPage = {
    status: h('div', { class: 'accounts-status', 'aria-live': 'polite' }),
    usersBox: h('div'),
    panel: h('div'),
    users: [],
    organisations: [],
    myEmail: view.session?.user.email?.toLowerCase() ?? null,
    invitations: null,
  };
  const inviteBox = h('section', { 'aria-labelledby': 'uitnodigen' });
  const addBox = h('section', { 'aria-labelledby': 'account-toevoegen' });
  const shareBox = h('section', { 'aria-labelledby': 'deellinks' });
  view.main.append(
    h('h1', null, 'Accounts'),
    h(
      'p',
      null,
      'Wie mag inloggen, met welke rol. Een account met de rol organisatie ziet alleen de eigen organisatie. ' +
        'Nodig iemand uit: die kiest dan zelf een wachtwoord via een eenmalige link. ' +
        'Onderaan maakt u deellinks: een link waarmee een organisatie zonder account de eigen pagina kan bekijken.',
    ),
    page.status,
    page.usersBox,
    page.panel,
    inviteBox,
    addBox,
    shareBox,
  );
  try {
    [page.users, page.organisations] = await Promise.all([
      get<User[]>('/api/users'),
      get<OrganisationList>('/api/organisations?includeArchived=true').then((r) =>
        [...r.items].sort((a, b) => a.name.localeCompare(b.name, 'nl')),
      ),
    ]);
  } catch (err) {
    say(page.status, 'error', errorText(err, 'De accounts konden niet worden geladen.'));
    return;
  }
  addBox.append(addForm(view, page));
  drawUsers(page);
  drawInvitations(view, inviteBox, page);
  drawShareLinks(view, shareBox, page.organisations);
}

function say(where: HTMLElement, kind: 'ok' | 'error' | 'info', text: string): void {
  replace(where, notice(kind, text));
}

/**
 * Every problem beside its field and in `where` a summary that links to each and follows the form;
 * the first field gets the focus.
 */
function showProblems(
  where: HTMLElement,
  problems: Problem[],
  controls: Record<string, HTMLElement | undefined>,
  intro: string,
): void {
  const form =
    where.closest('form') ??
    Object.values(controls)
      .find((c) => c)
      ?.closest('form') ??
    where;
  const { summary, first } = formProblems(problems, controls, { form, intro });
  replace(where, summary);
  (first ?? summary.querySelector('a'))?.focus();
}

/**
 * Runs a change, says how it went (next to the fields it is about, when it went wrong) and
 * loads the list again; answers whether it worked.
 */
async function act(
  page: AccountsPage,
  work: () => Promise<unknown>,
  messages: { done: string; failed: string },
  options: { controls?: FieldControls; where?: HTMLElement } = {},
): Promise<boolean> {
  const where = options.where ?? page.status;
  if (where !== page.status) replace(page.status);
  try {
    await work();
  } catch (err) {
    const problems = options.controls ? fieldProblems(err) : [];
    if (options.controls && problems.length > 0) {
      showProblems(where, problems, options.controls, messages.failed);
      return false;
    }
    say(where, 'error', errorText(err, messages.failed));
    return false;
  }
  say(where, 'ok', messages.done);
  try {
    page.users = await get<User[]>('/api/users');
    drawUsers(page);
  } catch (err) {
    say(page.status, 'error', errorText(err, 'De lijst kon niet worden bijgewerkt; laad de pagina opnieuw.'));
  }
  return true;
}

/** The problems of a refused change; refusing the last projectleider is about the role. */
function fieldProblems(err: unknown): Problem[] {
  const problems = problemsOf(err);
  if (problems.length === 0 && err instanceof ApiError && err.code === 'last_projectleider') {
    return [{ code: err.code, path: 'role', message: err.message }];
  }
  return problems;
}

function openEdit(page: AccountsPage, user: User): void {
  const role = roleSelect(user.role);
  const organisation = organisationSelect(page.organisations, user.organisationId);
  const orgField = field('Organisatie', organisation);
  organisationFollowsRole(role, orgField, organisation);
  openPanel(page.panel, {
    title: `Rol of organisatie wijzigen: ${user.email}`,
    body: [field('Rol', role), orgField],
    submitLabel: 'Opslaan',
    returnFocus: () => page.usersBox.querySelector<HTMLElement>(`[data-edit="${user.id}"]`),
    onSubmit: () => {
      clearFieldErrors(page.panel);
      const isOrg = role.value === 'organisatie';
      if (isOrg && !organisation.value) {
        showFieldError(organisation, ORGANISATION_MISSING);
        organisation.focus();
        return false;
      }
      return act(
        page,
        () =>
          patch(`/api/users/${user.id}`, {
            role: role.value as Role,
            organisationId: isOrg ? Number(organisation.value) : null,
          } satisfies UserPatch),
        { done: `Het account ${user.email} is gewijzigd.`, failed: 'Het account kon niet worden gewijzigd.' },
        { controls: { role, organisationId: organisation } },
      );
    },
  });
}

function openPassword(page: AccountsPage, user: User): void {
  const password = h('input', {
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    minLength: MIN_PASSWORD,
  });
  openPanel(page.panel, {
    title: `Nieuw wachtwoord instellen: ${user.email}`,
    body: [
      field(
        'Nieuw wachtwoord',
        password,
        `Minstens ${MIN_PASSWORD} tekens. Wie nu met dit account is ingelogd, wordt uitgelogd.`,
      ),
    ],
    submitLabel: 'Wachtwoord instellen',
    returnFocus: () => page.usersBox.querySelector<HTMLElement>(`[data-password="${user.id}"]`),
    onSubmit: () => {
      clearFieldError(password);
      if (password.value.length < MIN_PASSWORD) {
        showFieldError(password, PASSWORD_TOO_SHORT);
        password.focus();
        return false;
      }
      return act(
        page,
        () => post(`/api/users/${user.id}/password`, { password: password.value } satisfies PasswordInput),
        {
          done: `Het wachtwoord van ${user.email} is opnieuw ingesteld. Geef het op een veilige manier door.`,
          failed: 'Het wachtwoord kon niet worden ingesteld.',
        },
        { controls: { password } },
      );
    },
  });
}

function drawUsers(page: AccountsPage): void {
  const orgName = (id: number | null) =>
    id === null ? '' : (page.organisations.find((o) => o.id === id)?.name ?? `organisatie ${id}`);
  const rows = [...page.users].sort((a, b) => a.email.localeCompare(b.email, 'nl'));
  replace(
    page.usersBox,
    h('h2', null, `Accounts (${page.users.length})`),
    dataTable<User>({
      class: 'stack-cards',
      caption: 'Alle accounts met hun rol, organisatie, status en laatste keer inloggen',
      columns: [
        {
          head: 'E-mailadres',
          label: 'E-mailadres',
          rowHeader: true,
          cell: (u) => [u.email, isSelf(page, u) ? ' (uzelf)' : null],
        },
        { head: 'Rol', label: 'Rol', cell: (u) => ROLE_NAMES[u.role] },
        {
          head: 'Organisatie',
          label: 'Organisatie',
          cell: (u) => (u.role === 'organisatie' ? orgName(u.organisationId) : '–'),
        },
        {
          head: 'Status',
          label: 'Status',
          cell: (u) =>
            u.disabled
              ? `Uitgeschakeld${u.disabledAt ? ` sinds ${formatDate(u.disabledAt)}` : ''}`
              : 'Actief',
        },
        {
          head: 'Twee-staps-inloggen',
          label: 'Twee-staps-inloggen',
          cell: (u) => (u.twoFactor ? 'Aan' : 'Uit'),
        },
        {
          head: 'Laatst ingelogd',
          label: 'Laatst ingelogd',
          cell: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Nog nooit'),
        },
        { head: 'Acties', label: 'Acties', class: 'label-above', cell: (u) => userActions(page, u) },
      ],
      rows,
    }),
  );
}

function isSelf(page: AccountsPage, user: User): boolean {
  return user.email.toLowerCase() === page.myEmail;
}

function userActions(page: AccountsPage, user: User): HTMLElement {
  const small = (extra: string, attrs: Record<string, string> = {}) => ({
    class: `${extra} small`,
    ...attrs,
  });
  const self = isSelf(page, user);
  return h(
    'div',
    { class: 'row-actions' },
    button(['Rol wijzigen', visuallyHidden(` van ${user.email}`)], () => openEdit(page, user), {
      ...small('secondary', { 'data-edit': String(user.id) }),
    }),
    button(['Nieuw wachtwoord', visuallyHidden(` voor ${user.email}`)], () => openPassword(page, user), {
      ...small('secondary', { 'data-password': String(user.id) }),
    }),
    user.disabled
      ? null
      : button(
          ['Resetlink maken', visuallyHidden(` voor ${user.email}`)],
          () => void makeResetLink(page, user),
          small('secondary', { 'data-reset-link': String(user.id) }),
        ),
    self || !user.twoFactor
      ? null
      : button(
          ['Twee-staps-inloggen herstellen', visuallyHidden(` voor ${user.email}`)],
          () => void resetTwoFactor(page, user),
          small('secondary', { 'data-two-factor': String(user.id) }),
        ),
    self
      ? null
      : button(
          [user.disabled ? 'Inschakelen' : 'Uitschakelen', visuallyHidden(` ${user.email}`)],
          () => void toggleUser(page, user),
          small('secondary', { 'data-toggle': String(user.id) }),
        ),
    self
      ? null
      : button(
          ['Verwijderen', visuallyHidden(` ${user.email}`)],
          () => void removeUser(page, user),
          small('danger'),
        ),
  );
}

async function toggleUser(page: AccountsPage, user: User): Promise<void> {
  if (
    !user.disabled &&
    !confirmed(`Account ${user.email} uitschakelen? Wie ermee is ingelogd, wordt direct uitgelogd.`)
  )
    return;
  await act(page, () => patch(`/api/users/${user.id}`, { disabled: !user.disabled } satisfies UserPatch), {
    done: user.disabled
      ? `Het account ${user.email} is weer ingeschakeld.`
      : `Het account ${user.email} is uitgeschakeld.`,
    failed: 'Dat lukte niet.',
  });
  refocus(page, `[data-toggle="${user.id}"]`);
}

/** A lost phone: the account signs in with its password again (or sets up a new app when required). */
async function resetTwoFactor(page: AccountsPage, user: User): Promise<void> {
  if (
    !confirmed(
      `Twee-staps-inloggen van ${user.email} herstellen? De gekoppelde app en de herstelcodes werken dan niet meer, ` +
        'en wie met dit account is ingelogd, wordt uitgelogd. Doe dit alleen als u zeker weet dat het verzoek van de eigenaar komt.',
    )
  )
    return;
  await act(page, () => del(`/api/users/${user.id}/two-factor`), {
    done: `Twee-staps-inloggen van ${user.email} is hersteld. Bij de volgende keer inloggen is alleen het wachtwoord nodig, of stelt het account een nieuwe app in als dat verplicht is.`,
    failed: 'Twee-staps-inloggen kon niet worden hersteld.',
  });
  refocus(page, `[data-edit="${user.id}"]`);
}

async function removeUser(page: AccountsPage, user: User): Promise<void> {
  if (!confirmed(`Account ${user.email} verwijderen? Dit kan niet ongedaan worden gemaakt.`)) return;
  closePanel(page.panel);
  await act(page, () => del(`/api/users/${user.id}`), {
    done: `Het account ${user.email} is verwijderd.`,
    failed: 'Het account kon niet worden verwijderd.',
  });
  refocus(page, 'h2');
}

/** After the list is drawn again, keyboard focus goes back to where the person was. */
function refocus(page: AccountsPage, selector: string): void {
  const box = page.usersBox;
  const target = box.querySelector<HTMLElement>(selector) ?? box.querySelector<HTMLElement>('h2');
  if (target?.tagName === 'H2') target.setAttribute('tabindex', '-1');
  target?.focus();
}

/** The add form; it keeps its values across redraws of the list. */
function addForm(view: View, page: AccountsPage): HTMLFormElement {
  const controls = {
    email: h('input', { type: 'email', name: 'email', autocomplete: 'off', required: true }),
    role: roleSelect('organisatie'),
    organisationId: organisationSelect(page.organisations, null),
    password: h('input', {
      type: 'password',
      name: 'password',
      autocomplete: 'new-password',
      required: true,
      minLength: MIN_PASSWORD,
    }),
  };
  const orgField = field('Organisatie', controls.organisationId, 'Het account ziet alleen deze organisatie.');
  organisationFollowsRole(controls.role, orgField, controls.organisationId);
  view.guardLeave(() => controls.email.value.trim() !== '' || controls.password.value !== '');
  const addStatus = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    h('h2', { id: 'account-toevoegen' }, 'Account toevoegen'),
    field('E-mailadres', controls.email),
    field('Rol', controls.role),
    orgField,
    field(
      'Wachtwoord',
      controls.password,
      `Minstens ${MIN_PASSWORD} tekens. Een zin van een paar woorden is sterk en goed te onthouden.`,
    ),
    h('p', null, h('button', { type: 'submit' }, 'Account toevoegen')),
    addStatus,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void addAccount(page, form, controls, addStatus);
  });
  return form;
}

/** What is wrong with the add form before sending, per field. */
function checkNewAccount(controls: {
  email: HTMLInputElement;
  role: HTMLSelectElement;
  organisationId: HTMLSelectElement;
  password: HTMLInputElement;
}): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ code: 'invalid_field', path, message });
  if (!controls.email.value.trim()) problem('email', 'Vul het e-mailadres in.');
  else if (!controls.email.checkValidity()) problem('email', 'Dit is geen geldig e-mailadres.');
  if (controls.role.value === 'organisatie' && !controls.organisationId.value)
    problem('organisationId', ORGANISATION_MISSING);
  if (controls.password.value.length < MIN_PASSWORD) problem('password', PASSWORD_TOO_SHORT);
  return problems;
}

async function addAccount(
  page: AccountsPage,
  form: HTMLFormElement,
  controls: Parameters<typeof checkNewAccount>[0],
  addStatus: HTMLElement,
): Promise<void> {
  clearFieldErrors(form);
  const problems = checkNewAccount(controls);
  if (problems.length) {
    showProblems(addStatus, problems, controls, 'Het account is nog niet toegevoegd:');
    return;
  }
  const address = controls.email.value.trim();
  const isOrg = controls.role.value === 'organisatie';
  const ok = await act(
    page,
    () =>
      post('/api/users', {
        email: address,
        role: controls.role.value as Role,
        organisationId: isOrg ? Number(controls.organisationId.value) : null,
        password: controls.password.value,
      } satisfies NewUserInput),
    {
      done: `Het account ${address} is toegevoegd. Geef het wachtwoord op een veilige manier door.`,
      failed: 'Het account kon niet worden toegevoegd.',
    },
    { controls, where: addStatus },
  );
  if (ok) {
    controls.email.value = '';
    controls.password.value = '';
    controls.organisationId.value = '';
  }
}

// ---------------------------------------------------------------------------------------------
// Share links

/** The share-link part: the organisation chosen, its links, and what happened. */
interface ShareLinks {
  organisations: Organisation[];
  select: HTMLSelectElement;
  status: HTMLElement;
  content: HTMLElement;
}

function shareLinkState(link: ShareLink): string {
  if (link.revokedAt) return `Ingetrokken op ${formatDate(link.revokedAt)}`;
  if (!link.active) return 'Verlopen';
  return 'Actief';
}

/** Share links of one organisation: list, create (the link is shown once) and revoke. */
function drawShareLinks(view: View, box: HTMLElement, organisations: Organisation[]): void {
  const chosen = Number(view.query.get('organisatie')) || null;
  const part: ShareLinks = {
    organisations,
    select: organisationSelect(organisations, chosen),
    status: h('div', { 'aria-live': 'polite' }),
    content: h('div'),
  };
  replace(
    box,
    h('h2', { id: 'deellinks' }, 'Deellinks'),
    h(
      'p',
      null,
      'Met een deellink bekijkt een organisatie de eigen pagina (alleen lezen) zonder account. ' +
        'Intrekken werkt direct: wie de link open heeft, verliest de toegang.',
    ),
    h('div', { class: 'controls' }, field('Deellinks van organisatie', part.select)),
    part.status,
    part.content,
  );
  part.select.addEventListener('change', () => {
    replace(part.status);
    const id = Number(part.select.value) || null;
    history.replaceState(null, '', id ? `/accounts?organisatie=${id}` : '/accounts');
    if (id) void loadLinks(part, id);
    else replace(part.content);
  });
  if (chosen) void loadLinks(part, chosen);
}

/** Shows the links of an organisation; `created` is a link just made, shown once above them. */
async function loadLinks(part: ShareLinks, organisationId: number, created?: HTMLElement): Promise<void> {
  let links: ShareLink[];
  try {
    links = await get<ShareLink[]>(`/api/organisations/${organisationId}/share-links`);
  } catch (err) {
    replace(part.content);
    say(part.status, 'error', errorText(err, 'De deellinks konden niet worden geladen.'));
    return;
  }
  const name = part.organisations.find((o) => o.id === organisationId)?.name ?? '';
  replace(
    part.content,
    created ?? h('div'),
    links.length === 0
      ? h('p', null, `${name} heeft nog geen deellinks.`)
      : dataTable<ShareLink>({
          class: 'stack-cards',
          caption: `Deellinks van ${name}`,
          columns: [
            {
              head: 'Omschrijving',
              label: 'Omschrijving',
              rowHeader: true,
              cell: (l) => l.label || '(geen omschrijving)',
            },
            { head: 'Geldig tot', label: 'Geldig tot', cell: (l) => formatDateTime(l.expiresAt) },
            { head: 'Status', label: 'Status', cell: shareLinkState },
            {
              head: 'Gemaakt',
              label: 'Gemaakt',
              cell: (l) => `${formatDate(l.createdAt)} door ${l.createdBy}`,
            },
            {
              head: 'Actie',
              label: 'Actie',
              class: 'label-above',
              cell: (l) =>
                l.active
                  ? button(
                      ['Intrekken', visuallyHidden(` deellink ${l.label ?? ''}`)],
                      () => void revoke(part, l, name),
                      {
                        class: 'danger small',
                      },
                    )
                  : '–',
            },
          ],
          rows: links,
        }),
    newLinkForm(part, organisationId, name),
  );
}

async function revoke(part: ShareLinks, link: ShareLink, name: string): Promise<void> {
  const what = link.label ? `'${link.label}'` : 'zonder omschrijving';
  if (!confirmed(`Deellink ${what} van ${name} intrekken? Wie hem gebruikt, verliest direct de toegang.`))
    return;
  try {
    await del(`/api/share-links/${link.id}`);
  } catch (err) {
    say(part.status, 'error', errorText(err, 'De deellink kon niet worden ingetrokken.'));
    return;
  }
  say(part.status, 'ok', `De deellink ${what} is ingetrokken.`);
  await loadLinks(part, link.organisationId);
  part.select.focus();
}

function newLinkForm(part: ShareLinks, organisationId: number, name: string): HTMLFormElement {
  const label = h('input', { type: 'text', name: 'label', maxLength: 200 });
  const days = h('input', {
    type: 'number',
    name: 'days',
    min: 1,
    max: 366,
    value: '30',
    inputMode: 'numeric',
    class: 'input-short',
  });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    h('h3', null, `Nieuwe deellink voor ${name}`),
    field('Omschrijving (optioneel)', label, 'Bijvoorbeeld voor wie de link is.'),
    field('Geldig (dagen)', days, 'Van 1 tot en met 366 dagen.'),
    h('p', null, h('button', { type: 'submit' }, 'Deellink maken')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldError(days);
    const n = Number(days.value);
    if (!Number.isInteger(n) || n < 1 || n > 366) {
      showFieldError(days, 'Kies een geldigheid van 1 tot en met 366 dagen.');
      days.focus();
      return;
    }
    let link: CreatedShareLink;
    try {
      link = await post<CreatedShareLink>(`/api/organisations/${organisationId}/share-links`, {
        expiresInDays: n,
        label: label.value.trim() || null,
      } satisfies NewShareLinkInput);
    } catch (err) {
      say(part.status, 'error', errorText(err, 'De deellink kon niet worden gemaakt.'));
      placeProblems(problemsOf(err), { expiresInDays: days, label }).first?.focus();
      return;
    }
    replace(part.status);
    const shown = oneTimeLink(link, name);
    await loadLinks(part, organisationId, shown);
    shown.querySelector<HTMLInputElement>('input')?.focus();
  });
  return form;
}

/** The new link, shown once, read-only, with a copy button. */
function oneTimeLink(link: CreatedShareLink, name: string): HTMLElement {
  return linkToCopy(
    `De deellink voor ${name} is gemaakt. Kopieer hem nu: hij wordt alleen nu getoond en is later niet meer op te vragen.`,
    `Deellink voor ${name}${link.label ? ` (${link.label})` : ''}`,
    link.url,
  );
}

/** A link shown once, read-only, with a copy button: a share link, an invitation or a reset link. */
function linkToCopy(intro: string, label: string, url: string): HTMLElement {
  const input = h('input', { type: 'text', readOnly: true, value: url, id: uid('link') });
  const copied = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  input.addEventListener('focus', () => input.select());
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      copied.textContent = 'Gekopieerd.';
    } catch {
      input.focus();
      input.select();
      copied.textContent = 'Kopiëren lukte niet; de link is geselecteerd: kopieer hem met Ctrl+C.';
    }
  };
  return h(
    'div',
    { class: 'one-time-link' },
    notice('info', intro),
    field(label, input),
    h(
      'p',
      { class: 'actions' },
      button('Kopieer', () => void copy()),
      copied,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Invitations and reset links

/** The invitation part: the form, the link just made, and the open invitations. */
interface Invitations {
  status: HTMLElement;
  created: HTMLElement;
  list: HTMLElement;
}

/** What the person is told about a new link: mailed or to be passed on, and until when it works. */
function linkIntro(what: string, email: string, r: { mailed: boolean; expiresAt: string }): string {
  const until = `Hij werkt één keer, tot ${formatDateTime(r.expiresAt)}.`;
  return r.mailed
    ? `${what} voor ${email} is gemaakt en per mail verstuurd. ${until} U kunt hem hieronder ook kopiëren.`
    : `${what} voor ${email} is gemaakt, maar niet gemaild (er is geen mailserver ingesteld of versturen lukte niet). ` +
        `Kopieer hem nu en geef hem op een veilige manier door: hij wordt alleen nu getoond. ${until}`;
}

function drawInvitations(view: View, box: HTMLElement, page: AccountsPage): void {
  const part: Invitations = {
    status: h('div', { 'aria-live': 'polite' }),
    created: h('div'),
    list: h('div'),
  };
  page.invitations = part;
  replace(
    box,
    h('h2', { id: 'uitnodigen' }, 'Uitnodigen'),
    h(
      'p',
      null,
      'Nodig iemand uit met het e-mailadres en de rol. Diegene krijgt een eenmalige link, 7 dagen geldig, ' +
        'en kiest daar zelf een wachtwoord. Een wachtwoord vergeten? Maak bij het account een resetlink.',
    ),
    inviteForm(view, page, part),
    part.status,
    part.created,
    part.list,
  );
  void loadInvitations(page, part);
}

async function loadInvitations(page: AccountsPage, part: Invitations): Promise<void> {
  let open: Invitation[];
  try {
    open = await get<Invitation[]>('/api/invitations');
  } catch (err) {
    say(part.status, 'error', errorText(err, 'De openstaande uitnodigingen konden niet worden geladen.'));
    return;
  }
  const orgName = (id: number | null) =>
    id === null ? '' : (page.organisations.find((o) => o.id === id)?.name ?? `organisatie ${id}`);
  replace(
    part.list,
    h('h3', { id: 'open-uitnodigingen', tabindex: '-1' }, `Openstaande links (${open.length})`),
    open.length === 0
      ? h('p', null, 'Er zijn geen openstaande uitnodigingen of resetlinks.')
      : dataTable<Invitation>({
          class: 'stack-cards',
          caption: 'Uitnodigingen en resetlinks die nog niet zijn gebruikt',
          columns: [
            { head: 'E-mailadres', label: 'E-mailadres', rowHeader: true, cell: (i) => i.email },
            {
              head: 'Soort',
              label: 'Soort',
              cell: (i) => (i.purpose === 'invite' ? 'Uitnodiging' : 'Resetlink'),
            },
            {
              head: 'Rol',
              label: 'Rol',
              cell: (i) =>
                `${ROLE_NAMES[i.role]}${i.role === 'organisatie' ? ` (${orgName(i.organisationId)})` : ''}`,
            },
            { head: 'Geldig tot', label: 'Geldig tot', cell: (i) => formatDateTime(i.expiresAt) },
            {
              head: 'Gemaakt',
              label: 'Gemaakt',
              cell: (i) => `${formatDate(i.createdAt)} door ${i.createdBy}`,
            },
            {
              head: 'Actie',
              label: 'Actie',
              class: 'label-above',
              cell: (i) =>
                button(
                  [
                    'Intrekken',
                    visuallyHidden(` ${i.purpose === 'invite' ? 'uitnodiging' : 'resetlink'} ${i.email}`),
                  ],
                  () => void revokeInvitation(page, part, i),
                  { class: 'danger small' },
                ),
            },
          ],
          rows: open,
        }),
  );
}

async function revokeInvitation(
  page: AccountsPage,
  part: Invitations,
  invitation: Invitation,
): Promise<void> {
  const what = invitation.purpose === 'invite' ? 'De uitnodiging' : 'De resetlink';
  if (!confirmed(`${what} voor ${invitation.email} intrekken? De link werkt dan direct niet meer.`)) return;
  try {
    await del(`/api/invitations/${invitation.id}`);
  } catch (err) {
    say(part.status, 'error', errorText(err, 'Intrekken lukte niet.'));
    return;
  }
  replace(part.created);
  say(part.status, 'ok', `${what} voor ${invitation.email} is ingetrokken.`);
  await loadInvitations(page, part);
  part.list.querySelector<HTMLElement>('h3')?.focus();
}

function inviteForm(view: View, page: AccountsPage, part: Invitations): HTMLFormElement {
  const controls = {
    email: h('input', { type: 'email', name: 'invite-email', autocomplete: 'off', required: true }),
    role: roleSelect('organisatie'),
    organisationId: organisationSelect(page.organisations, null),
  };
  const orgField = field('Organisatie', controls.organisationId, 'Het account ziet alleen deze organisatie.');
  organisationFollowsRole(controls.role, orgField, controls.organisationId);
  view.guardLeave(() => controls.email.value.trim() !== '');
  const formStatus = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'narrow form', novalidate: true },
    field('E-mailadres', controls.email),
    field('Rol', controls.role),
    orgField,
    h('p', null, h('button', { type: 'submit' }, 'Uitnodigen')),
    formStatus,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(part.created);
    replace(part.status);
    const problems: Problem[] = [];
    const problem = (path: string, message: string) =>
      problems.push({ code: 'invalid_field', path, message });
    const address = controls.email.value.trim();
    if (!address) problem('email', 'Vul het e-mailadres in.');
    else if (!controls.email.checkValidity()) problem('email', 'Dit is geen geldig e-mailadres.');
    const isOrg = controls.role.value === 'organisatie';
    if (isOrg && !controls.organisationId.value) problem('organisationId', ORGANISATION_MISSING);
    if (problems.length) {
      showProblems(formStatus, problems, controls, 'Nog niet uitgenodigd:');
      return;
    }
    let created: CreatedInvitation;
    try {
      created = await post<CreatedInvitation>('/api/invitations', {
        email: address,
        role: controls.role.value as Role,
        organisationId: isOrg ? Number(controls.organisationId.value) : null,
      } satisfies NewInvitationInput);
    } catch (err) {
      const refused = problemsOf(err);
      if (refused.length > 0) showProblems(formStatus, refused, controls, 'De uitnodiging is niet gemaakt:');
      else say(formStatus, 'error', errorText(err, 'De uitnodiging kon niet worden gemaakt.'));
      return;
    }
    replace(formStatus);
    controls.email.value = '';
    controls.organisationId.value = '';
    const shown = linkToCopy(
      linkIntro('De uitnodiging', created.email, created),
      `Uitnodigingslink voor ${created.email}`,
      created.link,
    );
    replace(part.created, shown);
    await loadInvitations(page, part);
    shown.querySelector<HTMLInputElement>('input')?.focus();
  });
  return form;
}

/** A reset link for a forgotten password, shown under the list of accounts to copy. */
async function makeResetLink(page: AccountsPage, user: User): Promise<void> {
  let made: ResetLink;
  try {
    made = await post<ResetLink>(`/api/users/${user.id}/reset-link`);
  } catch (err) {
    say(page.status, 'error', errorText(err, 'De resetlink kon niet worden gemaakt.'));
    return;
  }
  replace(page.status);
  const shown = linkToCopy(
    `${linkIntro('De resetlink', made.email, made)} Wie de link gebruikt, kiest een nieuw wachtwoord; wie nu met dit account is ingelogd, wordt dan uitgelogd.`,
    `Resetlink voor ${made.email}`,
    made.link,
  );
  replace(page.panel, shown);
  shown.querySelector<HTMLInputElement>('input')?.focus();
  if (page.invitations) await loadInvitations(page, page.invitations);
}
