// The first-run page: creates the first projectleider account with the one-time token from the
// server console (it arrives in the page address as ?token=…).
const form = document.getElementById('setup-form');
const message = document.getElementById('message');
const token = new URLSearchParams(window.location.search).get('token') ?? '';

function show(text, isError) {
  message.textContent = text;
  message.className = isError ? 'error' : 'ok';
}

async function start() {
  const res = await fetch('/api/auth/setup');
  const { needed } = await res.json();
  if (!needed) {
    form.hidden = true;
    show(
      'De installatie is al gedaan: er bestaat al een account. Log in met uw e-mailadres en wachtwoord.',
      false,
    );
  } else if (!token) {
    form.hidden = true;
    show('Deze pagina werkt alleen via de installatielink uit de serverconsole (met ?token=… erin).', true);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = form.email.value.trim();
  const password = form.password.value;
  if (password !== form.password2.value) {
    show('De twee wachtwoorden zijn niet gelijk.', true);
    form.password2.focus();
    return;
  }
  const res = await fetch('/api/auth/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, email, password }),
  });
  const body = await res.json();
  if (res.ok) {
    form.hidden = true;
    show(`Het account ${body.user.email} is aangemaakt en u bent ingelogd als projectleider. `, false);
    const next = document.createElement('a');
    next.href = '/';
    next.textContent = 'Verder naar de toepassing';
    message.append(next);
  } else {
    show(body.error?.message ?? 'Er ging iets mis; probeer het opnieuw.', true);
  }
});

start().catch(() => show('De server is niet bereikbaar.', true));
