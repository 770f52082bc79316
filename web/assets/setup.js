// The first-run page: creates the first projectleider account with the one-time token from the
// server console (it arrives in the page address as ?token=…). Plain JavaScript, not bundled: the
// app's own parts (web/src/ui) are not loaded here, so the few it needs are written out below.
//
// A refused form shows every problem at once, each right after its field (aria-invalid and
// aria-describedby tie them together), and a summary at the top whose links move to the fields.

const form = document.getElementById('setup-form');
const setup = document.getElementById('setup');
const checking = document.getElementById('checking');
const message = document.getElementById('message');
const summary = document.getElementById('error-summary');
const summaryTitle = document.getElementById('error-summary-title');
const summaryList = document.getElementById('error-summary-list');
const token = new URLSearchParams(window.location.search).get('token') ?? '';

/** The fields by the names the API gives them in `details.problems[].path`. */
const fields = {
  email: document.getElementById('email'),
  password: document.getElementById('password'),
  password2: document.getElementById('password2'),
};
const MIN_PASSWORD_LENGTH = 12;

/** The server's messages are lower case without a full stop; on a page they are sentences. */
function sentence(text) {
  const t = String(text).trim();
  if (!t) return t;
  const first = t.charAt(0).toLocaleUpperCase('nl') + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A notice in place of the form (or above it): what the page found, or how it went. */
function show(kind, text, link) {
  message.replaceChildren();
  message.className = kind ? `notice ${kind}` : '';
  if (!text) return;
  const p = document.createElement('p');
  p.textContent = text;
  message.append(p);
  if (link) {
    const a = document.createElement('a');
    a.href = link.href;
    a.textContent = link.text;
    a.className = 'button';
    const line = document.createElement('p');
    line.append(a);
    message.append(line);
  }
}

/** The page after the check: the form, or instead of it the reason there is none. */
function showForm(visible) {
  checking.hidden = true;
  setup.hidden = !visible;
}

function errorIdOf(control) {
  return `${control.id}-error`;
}

function describedBy(control) {
  return (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
}

function setDescribedBy(control, ids) {
  if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
}

function showFieldError(control, text) {
  const errorId = errorIdOf(control);
  let el = document.getElementById(errorId);
  if (!el) {
    el = document.createElement('span');
    el.id = errorId;
    el.className = 'field-error';
    control.after(el);
  }
  el.textContent = text;
  control.setAttribute('aria-invalid', 'true');
  setDescribedBy(control, [...describedBy(control).filter((id) => id !== errorId), errorId]);
}

function clearFieldError(control) {
  const errorId = errorIdOf(control);
  document.getElementById(errorId)?.remove();
  control.removeAttribute('aria-invalid');
  setDescribedBy(
    control,
    describedBy(control).filter((id) => id !== errorId),
  );
}

/** The summary's title for the problems still listed. */
function summaryTitleFor(count) {
  return count === 1 ? 'Er is een probleem' : `Er zijn ${count} problemen`;
}

function hideSummary() {
  summary.hidden = true;
  summaryList.replaceChildren();
}

/**
 * Shows the problems: each at its field (when the form has one) and all in the summary, which
 * takes the focus so a screen reader reads them first. `problems` is [{ field?, text }].
 */
function showProblems(problems) {
  for (const control of Object.values(fields)) clearFieldError(control);
  summaryList.replaceChildren();
  for (const problem of problems) {
    const control = problem.field ? fields[problem.field] : undefined;
    const item = document.createElement('li');
    if (control) {
      showFieldError(control, problem.text);
      const link = document.createElement('a');
      link.href = `#${control.id}`;
      link.textContent = problem.text;
      link.dataset.field = problem.field;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        control.focus();
        control.scrollIntoView({ block: 'center' });
      });
      item.append(link);
    } else {
      item.textContent = problem.text;
    }
    summaryList.append(item);
  }
  summaryTitle.textContent = summaryTitleFor(problems.length);
  summary.hidden = false;
  summary.focus();
}

/** A field put right takes its own error and its line in the summary away. */
function clearWhenEdited(name) {
  const control = fields[name];
  control.addEventListener('input', () => {
    if (control.getAttribute('aria-invalid') !== 'true') return;
    clearFieldError(control);
    for (const link of summaryList.querySelectorAll(`a[data-field="${name}"]`)) link.closest('li')?.remove();
    const left = summaryList.children.length;
    if (left === 0) hideSummary();
    else summaryTitle.textContent = summaryTitleFor(left);
  });
}

/** The checks the page can do itself, all at once, before anything is sent. */
function checkForm() {
  const problems = [];
  const email = fields.email.value.trim();
  const password = fields.password.value;
  const again = fields.password2.value;
  if (email === '') {
    problems.push({ field: 'email', text: 'Vul uw e-mailadres in.' });
  } else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    problems.push({ field: 'email', text: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.' });
  }
  if (password.trim() === '') {
    problems.push({ field: 'password', text: 'Kies een wachtwoord.' });
  } else if (password.trim().length < MIN_PASSWORD_LENGTH) {
    problems.push({
      field: 'password',
      text: `Het wachtwoord is te kort: gebruik minstens ${MIN_PASSWORD_LENGTH} tekens.`,
    });
  }
  if (again === '') {
    problems.push({ field: 'password2', text: 'Vul het wachtwoord nogmaals in.' });
  } else if (again !== password) {
    problems.push({
      field: 'password2',
      text: 'De twee wachtwoorden zijn niet gelijk. Typ hier hetzelfde wachtwoord als hierboven.',
    });
  }
  return problems;
}

/** The server's problems as the page shows them: at the field of their path, if the form has it. */
function problemsFromServer(error) {
  const problems = Array.isArray(error?.details?.problems) ? error.details.problems : [];
  if (problems.length === 0)
    return [{ text: sentence(error?.message ?? 'Er ging iets mis; probeer het opnieuw.') }];
  return problems.map((p) => ({
    field: Object.hasOwn(fields, p.path ?? '') ? p.path : undefined,
    text: sentence(p.message),
  }));
}

function showDone() {
  showForm(false);
  show(
    'ok',
    'De installatie is al gedaan: er bestaat al een account. Log in met uw e-mailadres en wachtwoord.',
    {
      href: '/inloggen',
      text: 'Naar inloggen',
    },
  );
}

async function start() {
  const res = await fetch('/api/auth/setup');
  const { needed } = await res.json();
  if (!needed) {
    showDone();
  } else if (!token) {
    showForm(false);
    show(
      'error',
      'Deze pagina werkt alleen via de installatielink uit de serverconsole (met ?token=… erin).',
    );
  } else {
    showForm(true);
  }
}

for (const name of Object.keys(fields)) clearWhenEdited(name);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  show(null, '');
  const problems = checkForm();
  if (problems.length > 0) {
    showProblems(problems);
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const res = await fetch('/api/auth/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: fields.email.value.trim(), password: fields.password.value }),
    });
    const body = await res.json().catch(() => null);
    if (res.ok) {
      hideSummary();
      showForm(false);
      document.title = 'Account aangemaakt – VPT-schakelmodel';
      show(
        'ok',
        `Het account ${body.user.email} is aangemaakt en u bent ingelogd als projectleider. U kunt nu de organisaties en andere accounts toevoegen.`,
        { href: '/', text: 'Verder naar de toepassing' },
      );
      message.focus();
    } else if (body?.error?.code === 'setup_done') {
      hideSummary();
      showDone();
      message.focus();
    } else if (body?.error?.code === 'setup_token_invalid') {
      showProblems([
        {
          text: 'Deze installatielink is ongeldig of al gebruikt. Gebruik de link uit de serverconsole van deze start.',
        },
      ]);
    } else {
      showProblems(problemsFromServer(body?.error));
    }
  } catch {
    showProblems([{ text: 'De server is niet bereikbaar. Probeer het over een moment opnieuw.' }]);
  } finally {
    button.disabled = false;
  }
});

start().catch(() => {
  showForm(false);
  show('error', 'De server is niet bereikbaar. Laad de pagina over een moment opnieuw.');
});
