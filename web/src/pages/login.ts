import type { LoginInput, Session } from '../../../server/contracts/auth.contract.ts';
import { post } from '../api.ts';
import type { View } from '../router.ts';
import { goTo, homeOf, setSession } from '../shell.ts';
import { field, h, notice } from '../ui/dom.ts';
import { errorText } from '../ui/messages.ts';

export function renderLogin(view: View): void {
  if (view.session) {
    // Already signed in (for example after the back button): go to the start page instead.
    view.navigate(homeOf(view.session));
    return;
  }
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'narrow',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          status.replaceChildren();
          try {
            const session = await post<Session>('/api/auth/login', {
              email: email.value.trim(),
              password: password.value,
            } satisfies LoginInput);
            setSession(session);
            const back = view.query.get('terug');
            goTo(back?.startsWith('/') && !back.startsWith('//') ? back : homeOf(session));
          } catch (err) {
            status.append(notice('error', errorText(err, 'Inloggen lukte niet.')));
            password.focus();
          }
        },
      },
    },
    field('E-mailadres', email),
    field('Wachtwoord', password),
    h('p', null, h('button', { type: 'submit' }, 'Inloggen')),
    status,
  );
  view.main.append(
    h('h1', null, 'Inloggen'),
    h(
      'p',
      null,
      'Log in met het e-mailadres en wachtwoord van uw account. Heeft u een deellink gekregen? Open dan die link.',
    ),
    form,
  );
}
