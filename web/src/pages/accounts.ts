import { ApiError, del, get, patch, post, type Role } from '../api.ts';
import { field, h, notice, replace, uid } from '../dom.ts';
import { formatDate, formatDateTime } from '../format.ts';
import type { View } from '../router.ts';

interface User {
  id: number;
  email: string;
  role: Role;
  organisationId: number | null;
  disabled: boolean;
  disabledAt: string | null;
  lastLoginAt: string | null;
}
interface Organisation {
  id: number;
  name: string;
  archived: boolean;
}
interface ShareLink {
  id: number;
  organisationId: number;
  label: string | null;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
}
interface CreatedShareLink extends ShareLink {
  url: string;
}

const MIN_PASSWORD = 12;

const ROLE_NAMES: Record<Role, string> = {
  projectleider: 'Projectleider',
  bestuur: 'Bestuur',
  organisatie: 'Organisatie',
};

/** The server writes messages in lower case to fit in a sentence; on their own they start upper case. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function messageOf(err: unknown, fallback: string): string {
  return err instanceof ApiError ? sentence(err.message) : fallback;
}

/** Marks a control as wrong and says why right next to it (and clears that again). */
function markInvalid(control: HTMLElement, message: string | null): void {
  const errorId = `${control.id}-error`;
  control.parentElement?.querySelector(`#${CSS.escape(errorId)}`)?.remove();
  const described = (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((id) => id && id !== errorId);
  if (message === null) {
    control.removeAttribute('aria-invalid');
  } else {
    control.setAttribute('aria-invalid', 'true');
    control.after(h('span', { class: 'adm-field-error', id: errorId }, message));
    described.push(errorId);
  }
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
}

function roleSelect(selected: Role): HTMLSelectElement {
  return h(
    'select',
    { name: 'role', class: 'adm-select' },
    ...(Object.keys(ROLE_NAMES) as Role[]).map((r) =>
      h('option', { value: r, selected: r === selected }, ROLE_NAMES[r]),
    ),
  );
}

function organisationSelect(
  organisations: Organisation[],
  selected: number | null,
  emptyLabel = 'Kies een organisatie',
): HTMLSelectElement {
  return h(
    'select',
    { name: 'organisation', class: 'adm-select' },
    h('option', { value: '' }, emptyLabel),
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

/** Which control a server error is about, so the message can stand next to it. */
function controlFor(
  err: unknown,
  controls: { email?: HTMLElement; role?: HTMLElement; organisation?: HTMLElement; password?: HTMLElement },
): HTMLElement | undefined {
  if (!(err instanceof ApiError)) return undefined;
  switch (err.code) {
    case 'weak_password':
      return controls.password;
    case 'duplicate_email':
      return controls.email;
    case 'organisation_required':
    case 'organisation_not_allowed':
    case 'organisation_not_found':
      return controls.organisation;
    case 'last_projectleider':
      return controls.role;
    default:
      break;
  }
  const issues = (err.details as { issues?: Array<{ path: string }> } | undefined)?.issues ?? [];
  const path = issues[0]?.path ?? '';
  if (path.includes('email')) return controls.email;
  if (path.includes('password')) return controls.password;
  if (path.includes('organisation')) return controls.organisation;
  if (path.includes('role')) return controls.role;
  return undefined;
}

function visuallyHidden(text: string): HTMLElement {
  return h('span', { class: 'adm-vh' }, text);
}

/** Accounts and share links: who may sign in, with which role, and the read-only links per organisation. */
export async function renderAccounts(view: View): Promise<void> {
  const status = h('div', { class: 'adm-status', 'aria-live': 'polite' });
  const usersBox = h('div');
  const panel = h('div');
  const addBox = h('section', { 'aria-labelledby': 'account-toevoegen' });
  const shareBox = h('section', { 'aria-labelledby': 'deellinks' });
  view.main.append(
    h('h1', null, 'Accounts'),
    h(
      'p',
      null,
      'Wie mag inloggen, met welke rol. Een account met de rol organisatie ziet alleen de eigen organisatie. ' +
        'Onderaan maakt u deellinks: een link waarmee een organisatie zonder account de eigen pagina kan bekijken.',
    ),
    status,
    usersBox,
    panel,
    addBox,
    shareBox,
  );

  const say = (kind: 'ok' | 'error' | 'info', text: string, where: HTMLElement = status) =>
    replace(where, notice(kind, text));

  let users: User[] = [];
  let organisations: Organisation[] = [];
  try {
    [users, organisations] = await Promise.all([
      get<User[]>('/api/users'),
      get<{ items: Organisation[] }>('/api/organisations?includeArchived=true').then((r) =>
        [...r.items].sort((a, b) => a.name.localeCompare(b.name, 'nl')),
      ),
    ]);
  } catch (err) {
    say('error', messageOf(err, 'De accounts konden niet worden geladen.'));
    return;
  }
  const orgName = (id: number | null) =>
    id === null ? '' : (organisations.find((o) => o.id === id)?.name ?? `organisatie ${id}`);
  const myEmail = view.session?.user.email?.toLowerCase() ?? null;

  async function reload(): Promise<void> {
    users = await get<User[]>('/api/users');
    drawUsers();
  }

  /** Runs a change, says how it went, reloads the list; returns whether it worked. */
  async function act(
    work: () => Promise<unknown>,
    done: string,
    failed: string,
    controls?: Parameters<typeof controlFor>[1],
    where: HTMLElement = status,
  ): Promise<boolean> {
    if (where !== status) replace(status);
    try {
      await work();
    } catch (err) {
      say('error', messageOf(err, failed), where);
      const control = controls && controlFor(err, controls);
      if (control) {
        markInvalid(control, messageOf(err, failed));
        control.focus();
      }
      return false;
    }
    say('ok', done, where);
    try {
      await reload();
    } catch (err) {
      say('error', messageOf(err, 'De lijst kon niet worden bijgewerkt; laad de pagina opnieuw.'));
    }
    return true;
  }

  function closePanel(focusBack?: HTMLElement | null): void {
    panel.replaceChildren();
    focusBack?.focus();
  }

  function openEdit(user: User): void {
    const role = roleSelect(user.role);
    const organisation = organisationSelect(organisations, user.organisationId);
    const orgField = field('Organisatie', organisation);
    orgField.hidden = role.value !== 'organisatie';
    role.addEventListener('change', () => {
      orgField.hidden = role.value !== 'organisatie';
      markInvalid(organisation, null);
    });
    const heading = h('h2', { tabindex: -1 }, `Rol of organisatie wijzigen: ${user.email}`);
    replace(
      panel,
      h(
        'section',
        { class: 'adm-panel' },
        heading,
        h(
          'form',
          {
            class: 'narrow adm-form',
            novalidate: true,
            on: {
              submit: async (event) => {
                event.preventDefault();
                markInvalid(role, null);
                markInvalid(organisation, null);
                const isOrg = role.value === 'organisatie';
                if (isOrg && !organisation.value) {
                  markInvalid(organisation, 'Kies de organisatie waar dit account bij hoort.');
                  organisation.focus();
                  return;
                }
                const ok = await act(
                  () =>
                    patch(`/api/users/${user.id}`, {
                      role: role.value,
                      organisationId: isOrg ? Number(organisation.value) : null,
                    }),
                  `Het account ${user.email} is gewijzigd.`,
                  'Het account kon niet worden gewijzigd.',
                  { role, organisation },
                );
                if (ok) closePanel(usersBox.querySelector<HTMLElement>(`[data-edit="${user.id}"]`));
              },
            },
          },
          field('Rol', role),
          orgField,
          h(
            'p',
            { class: 'adm-actions' },
            h('button', { type: 'submit' }, 'Opslaan'),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                on: {
                  click: () => closePanel(usersBox.querySelector<HTMLElement>(`[data-edit="${user.id}"]`)),
                },
              },
              'Annuleren',
            ),
          ),
        ),
      ),
    );
    heading.focus();
  }

  function openPassword(user: User): void {
    const password = h('input', {
      type: 'password',
      name: 'new-password',
      autocomplete: 'new-password',
      minLength: MIN_PASSWORD,
    });
    const heading = h('h2', { tabindex: -1 }, `Nieuw wachtwoord instellen: ${user.email}`);
    const back = () => usersBox.querySelector<HTMLElement>(`[data-password="${user.id}"]`);
    replace(
      panel,
      h(
        'section',
        { class: 'adm-panel' },
        heading,
        h(
          'form',
          {
            class: 'narrow adm-form',
            novalidate: true,
            on: {
              submit: async (event) => {
                event.preventDefault();
                markInvalid(password, null);
                if (password.value.length < MIN_PASSWORD) {
                  markInvalid(
                    password,
                    `Het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD} tekens.`,
                  );
                  password.focus();
                  return;
                }
                const ok = await act(
                  () => post(`/api/users/${user.id}/password`, { password: password.value }),
                  `Het wachtwoord van ${user.email} is opnieuw ingesteld. Geef het op een veilige manier door.`,
                  'Het wachtwoord kon niet worden ingesteld.',
                  { password },
                );
                if (ok) closePanel(back());
              },
            },
          },
          field(
            'Nieuw wachtwoord',
            password,
            `Minstens ${MIN_PASSWORD} tekens. Wie nu met dit account is ingelogd, wordt uitgelogd.`,
          ),
          h(
            'p',
            { class: 'adm-actions' },
            h('button', { type: 'submit' }, 'Wachtwoord instellen'),
            h(
              'button',
              { type: 'button', class: 'secondary', on: { click: () => closePanel(back()) } },
              'Annuleren',
            ),
          ),
        ),
      ),
    );
    heading.focus();
  }

  function drawUsers(): void {
    const rows = [...users].sort((a, b) => a.email.localeCompare(b.email, 'nl'));
    replace(
      usersBox,
      h('h2', null, `Accounts (${users.length})`),
      h(
        'table',
        { class: 'adm-stack' },
        h('caption', null, 'Alle accounts met hun rol, organisatie, status en laatste keer inloggen'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'E-mailadres'),
            h('th', { scope: 'col' }, 'Rol'),
            h('th', { scope: 'col' }, 'Organisatie'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Laatst ingelogd'),
            h('th', { scope: 'col' }, 'Acties'),
          ),
        ),
        h(
          'tbody',
          null,
          ...rows.map((user) => {
            const self = user.email.toLowerCase() === myEmail;
            return h(
              'tr',
              null,
              h('th', { scope: 'row', 'data-label': 'E-mailadres' }, user.email, self ? ' (uzelf)' : null),
              h('td', { 'data-label': 'Rol' }, ROLE_NAMES[user.role]),
              h(
                'td',
                { 'data-label': 'Organisatie' },
                user.role === 'organisatie' ? orgName(user.organisationId) : '–',
              ),
              h(
                'td',
                { 'data-label': 'Status' },
                user.disabled
                  ? `Uitgeschakeld${user.disabledAt ? ` sinds ${formatDate(user.disabledAt)}` : ''}`
                  : 'Actief',
              ),
              h(
                'td',
                { 'data-label': 'Laatst ingelogd' },
                user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Nog nooit',
              ),
              h(
                'td',
                { 'data-label': 'Acties' },
                h(
                  'div',
                  { class: 'adm-row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary adm-small',
                      'data-edit': String(user.id),
                      on: { click: () => openEdit(user) },
                    },
                    'Rol wijzigen',
                    visuallyHidden(` van ${user.email}`),
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary adm-small',
                      'data-password': String(user.id),
                      on: { click: () => openPassword(user) },
                    },
                    'Nieuw wachtwoord',
                    visuallyHidden(` voor ${user.email}`),
                  ),
                  self
                    ? null
                    : h(
                        'button',
                        {
                          type: 'button',
                          class: 'secondary adm-small',
                          'data-toggle': String(user.id),
                          on: {
                            click: async () => {
                              if (
                                !user.disabled &&
                                !window.confirm(
                                  `Account ${user.email} uitschakelen? Wie ermee is ingelogd, wordt direct uitgelogd.`,
                                )
                              )
                                return;
                              await act(
                                () => patch(`/api/users/${user.id}`, { disabled: !user.disabled }),
                                user.disabled
                                  ? `Het account ${user.email} is weer ingeschakeld.`
                                  : `Het account ${user.email} is uitgeschakeld.`,
                                'Dat lukte niet.',
                              );
                              refocus(`[data-toggle="${user.id}"]`);
                            },
                          },
                        },
                        user.disabled ? 'Inschakelen' : 'Uitschakelen',
                        visuallyHidden(` ${user.email}`),
                      ),
                  self
                    ? null
                    : h(
                        'button',
                        {
                          type: 'button',
                          class: 'adm-danger adm-small',
                          on: {
                            click: async () => {
                              if (
                                !window.confirm(
                                  `Account ${user.email} verwijderen? Dit kan niet ongedaan worden gemaakt.`,
                                )
                              )
                                return;
                              closePanel();
                              await act(
                                () => del(`/api/users/${user.id}`),
                                `Het account ${user.email} is verwijderd.`,
                                'Het account kon niet worden verwijderd.',
                              );
                              refocus('h2');
                            },
                          },
                        },
                        'Verwijderen',
                        visuallyHidden(` ${user.email}`),
                      ),
                ),
              ),
            );
          }),
        ),
      ),
    );
  }

  /** After the list is drawn again, keyboard focus goes back to where the person was. */
  function refocus(selector: string): void {
    const target = usersBox.querySelector<HTMLElement>(selector) ?? usersBox.querySelector<HTMLElement>('h2');
    if (target?.tagName === 'H2') target.setAttribute('tabindex', '-1');
    target?.focus();
  }

  // The add form keeps its values across redraws of the list.
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', required: true });
  const role = roleSelect('organisatie');
  const organisation = organisationSelect(organisations, null);
  const orgField = field('Organisatie', organisation, 'Het account ziet alleen deze organisatie.');
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    required: true,
    minLength: MIN_PASSWORD,
  });
  role.addEventListener('change', () => {
    orgField.hidden = role.value !== 'organisatie';
    markInvalid(organisation, null);
  });
  view.guardLeave(() => email.value.trim() !== '' || password.value !== '');
  const addStatus = h('div', { 'aria-live': 'polite' });

  const form = h(
    'form',
    {
      class: 'narrow adm-form',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          for (const c of [email, role, organisation, password]) markInvalid(c, null);
          const problems: Array<[HTMLElement, string]> = [];
          if (!email.value.trim()) problems.push([email, 'Vul het e-mailadres in.']);
          else if (!email.checkValidity()) problems.push([email, 'Dit is geen geldig e-mailadres.']);
          if (role.value === 'organisatie' && !organisation.value)
            problems.push([organisation, 'Kies de organisatie waar dit account bij hoort.']);
          if (password.value.length < MIN_PASSWORD)
            problems.push([password, `Het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD} tekens.`]);
          if (problems.length) {
            for (const [control, message] of problems) markInvalid(control, message);
            say('error', 'Het account is nog niet toegevoegd: verbeter de gemarkeerde velden.', addStatus);
            problems[0]?.[0].focus();
            return;
          }
          const address = email.value.trim();
          const ok = await act(
            () =>
              post('/api/users', {
                email: address,
                role: role.value,
                organisationId: role.value === 'organisatie' ? Number(organisation.value) : null,
                password: password.value,
              }),
            `Het account ${address} is toegevoegd. Geef het wachtwoord op een veilige manier door.`,
            'Het account kon niet worden toegevoegd.',
            { email, role, organisation, password },
            addStatus,
          );
          if (ok) {
            email.value = '';
            password.value = '';
            organisation.value = '';
          }
        },
      },
    },
    h('h2', { id: 'account-toevoegen' }, 'Account toevoegen'),
    field('E-mailadres', email),
    field('Rol', role),
    orgField,
    field(
      'Wachtwoord',
      password,
      `Minstens ${MIN_PASSWORD} tekens. Een zin van een paar woorden is sterk en goed te onthouden.`,
    ),
    h('p', null, h('button', { type: 'submit' }, 'Account toevoegen')),
    addStatus,
  );
  addBox.append(form);

  drawUsers();
  drawShareLinks(view, shareBox, organisations);
}

function shareLinkState(link: ShareLink): string {
  if (link.revokedAt) return `Ingetrokken op ${formatDate(link.revokedAt)}`;
  if (!link.active) return 'Verlopen';
  return 'Actief';
}

/** Share links of one organisation: list, create (the link is shown once) and revoke. */
function drawShareLinks(view: View, box: HTMLElement, organisations: Organisation[]): void {
  const chosen = Number(view.query.get('organisatie')) || null;
  const select = organisationSelect(organisations, chosen);
  const status = h('div', { 'aria-live': 'polite' });
  const content = h('div');
  replace(
    box,
    h('h2', { id: 'deellinks' }, 'Deellinks'),
    h(
      'p',
      null,
      'Met een deellink bekijkt een organisatie de eigen pagina (alleen lezen) zonder account. ' +
        'Intrekken werkt direct: wie de link open heeft, verliest de toegang.',
    ),
    h('div', { class: 'controls' }, field('Deellinks van organisatie', select)),
    status,
    content,
  );
  const say = (kind: 'ok' | 'error' | 'info', text: string) => replace(status, notice(kind, text));

  async function load(organisationId: number, keep?: HTMLElement): Promise<void> {
    let links: ShareLink[];
    try {
      links = await get<ShareLink[]>(`/api/organisations/${organisationId}/share-links`);
    } catch (err) {
      replace(content);
      say('error', messageOf(err, 'De deellinks konden niet worden geladen.'));
      return;
    }
    const name = organisations.find((o) => o.id === organisationId)?.name ?? '';
    const list = h('div');
    const label = h('input', { type: 'text', name: 'label', maxLength: 200 });
    const days = h('input', {
      type: 'number',
      name: 'days',
      min: 1,
      max: 366,
      value: '30',
      inputMode: 'numeric',
    });
    days.classList.add('adm-short');
    const created = keep ?? h('div');
    replace(
      list,
      links.length === 0
        ? h('p', null, `${name} heeft nog geen deellinks.`)
        : h(
            'table',
            { class: 'adm-stack' },
            h('caption', null, `Deellinks van ${name}`),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Omschrijving'),
                h('th', { scope: 'col' }, 'Geldig tot'),
                h('th', { scope: 'col' }, 'Status'),
                h('th', { scope: 'col' }, 'Gemaakt'),
                h('th', { scope: 'col' }, 'Actie'),
              ),
            ),
            h(
              'tbody',
              null,
              ...links.map((link) =>
                h(
                  'tr',
                  null,
                  h(
                    'th',
                    { scope: 'row', 'data-label': 'Omschrijving' },
                    link.label || '(geen omschrijving)',
                  ),
                  h('td', { 'data-label': 'Geldig tot' }, formatDateTime(link.expiresAt)),
                  h('td', { 'data-label': 'Status' }, shareLinkState(link)),
                  h(
                    'td',
                    { 'data-label': 'Gemaakt' },
                    `${formatDate(link.createdAt)} door ${link.createdBy}`,
                  ),
                  h(
                    'td',
                    { 'data-label': 'Actie' },
                    link.active
                      ? h(
                          'button',
                          {
                            type: 'button',
                            class: 'adm-danger adm-small',
                            on: {
                              click: async () => {
                                const what = link.label ? `'${link.label}'` : 'zonder omschrijving';
                                if (
                                  !window.confirm(
                                    `Deellink ${what} van ${name} intrekken? Wie hem gebruikt, verliest direct de toegang.`,
                                  )
                                )
                                  return;
                                try {
                                  await del(`/api/share-links/${link.id}`);
                                } catch (err) {
                                  say('error', messageOf(err, 'De deellink kon niet worden ingetrokken.'));
                                  return;
                                }
                                say('ok', `De deellink ${what} is ingetrokken.`);
                                await load(organisationId);
                                select.focus();
                              },
                            },
                          },
                          'Intrekken',
                          visuallyHidden(` deellink ${link.label ?? ''}`),
                        )
                      : '–',
                  ),
                ),
              ),
            ),
          ),
    );
    const form = h(
      'form',
      {
        class: 'narrow adm-form',
        novalidate: true,
        on: {
          submit: async (event) => {
            event.preventDefault();
            markInvalid(days, null);
            const n = Number(days.value);
            if (!Number.isInteger(n) || n < 1 || n > 366) {
              markInvalid(days, 'Kies een geldigheid van 1 tot en met 366 dagen.');
              days.focus();
              return;
            }
            let link: CreatedShareLink;
            try {
              link = await post<CreatedShareLink>(`/api/organisations/${organisationId}/share-links`, {
                expiresInDays: n,
                label: label.value.trim() || null,
              });
            } catch (err) {
              say('error', messageOf(err, 'De deellink kon niet worden gemaakt.'));
              return;
            }
            replace(status);
            const shown = oneTimeLink(link, name);
            await load(organisationId, shown);
            shown.querySelector<HTMLInputElement>('input')?.focus();
          },
        },
      },
      h('h3', null, `Nieuwe deellink voor ${name}`),
      field('Omschrijving (optioneel)', label, 'Bijvoorbeeld voor wie de link is.'),
      field('Geldig (dagen)', days, 'Van 1 tot en met 366 dagen.'),
      h('p', null, h('button', { type: 'submit' }, 'Deellink maken')),
    );
    replace(content, created, list, form);
  }

  select.addEventListener('change', () => {
    replace(status);
    const id = Number(select.value) || null;
    history.replaceState(null, '', id ? `/accounts?organisatie=${id}` : '/accounts');
    if (id) void load(id);
    else replace(content);
  });
  if (chosen) void load(chosen);
}

/** The new link, shown once, read-only, with a copy button. */
function oneTimeLink(link: CreatedShareLink, name: string): HTMLElement {
  const input = h('input', { type: 'text', readOnly: true, value: link.url, id: uid('link') });
  const copied = h('span', { class: 'adm-copy-status', 'aria-live': 'polite' });
  input.addEventListener('focus', () => input.select());
  return h(
    'div',
    { class: 'adm-one-time' },
    notice(
      'info',
      `De deellink voor ${name} is gemaakt. Kopieer hem nu: hij wordt alleen nu getoond en is later niet meer op te vragen.`,
    ),
    field(`Deellink voor ${name}${link.label ? ` (${link.label})` : ''}`, input),
    h(
      'p',
      { class: 'adm-actions' },
      h(
        'button',
        {
          type: 'button',
          on: {
            click: async () => {
              try {
                await navigator.clipboard.writeText(link.url);
                copied.textContent = 'Gekopieerd.';
              } catch {
                input.focus();
                input.select();
                copied.textContent = 'Kopiëren lukte niet; de link is geselecteerd: kopieer hem met Ctrl+C.';
              }
            },
          },
        },
        'Kopieer',
      ),
      copied,
    ),
  );
}
