// The first-run setup form's refusals: every problem at once, each at its own field, in plain
// Dutch, with a message above the form that names no field path.
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { expectError, expectFieldError, problemsOf } from './fixtures.ts';

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function postSetup(app: TestApp, payload: Record<string, unknown>) {
  return app.anonymous({ method: 'POST', url: '/api/auth/setup', payload });
}

describe('first-run setup form problems', () => {
  it('when the e-mail address is wrong and the password too short, then both are told at once and nothing is made', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;

    // Act
    const res = await postSetup(t, { token, email: 'leider-at-regio', password: 'kort' });

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(problemsOf(body)).toEqual([
      {
        code: 'invalid_field',
        path: 'email',
        message: 'vul een geldig e-mailadres in, zoals naam@voorbeeld.nl',
      },
      {
        code: 'weak_password',
        path: 'password',
        message: 'het wachtwoord is te kort: gebruik minstens 12 tekens',
      },
    ]);
    expect(body.error.message).toBe(
      'er zijn 2 problemen: vul een geldig e-mailadres in, zoals naam@voorbeeld.nl; het wachtwoord is te kort: gebruik minstens 12 tekens',
    );
    expect(body.error.message).not.toMatch(/body\.|email:|password:/);
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
    expect(t.app.setupToken.value).toBe(token);
  });

  it('when everything is left out, then each missing field is its own problem, in Dutch', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });

    // Act
    const res = await postSetup(t, {});

    // Assert
    const body = expectError(res, 400, 'validation_failed');
    expect(problemsOf(body)).toEqual([
      { code: 'invalid_field', path: 'token', message: 'vul dit in' },
      { code: 'invalid_field', path: 'email', message: 'vul dit in' },
      { code: 'invalid_field', path: 'password', message: 'vul dit in' },
    ]);
    expect(body.error.message).toBe('er zijn 3 problemen: vul dit in');
  });

  it('when only the password is weak, then it is told at the password field with its own code', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;

    // Act
    const res = await postSetup(t, { token, email: 'leider@regio.example.org', password: 'wachtwoord12' });

    // Assert
    const body = expectFieldError(res, 400, 'weak_password', 'password');
    expect(body.error.message).toContain('veelgebruikte wachtwoorden');
  });

  it('when only an unknown field is sent along, then that field is named and the password is still checked', async () => {
    // Arrange
    t = await buildTestApp({ as: 'anonymous' });
    const token = t.app.setupToken.value!;

    // Act
    const res = await postSetup(t, {
      token,
      email: 'leider@regio.example.org',
      password: 'eerste projectleider wachtwoord',
      password2: 'eerste projectleider wachtwoord',
    });

    // Assert
    expectFieldError(res, 400, 'validation_failed', 'password2', 'unknown_field');
    expect(await t.db.selectFrom('users').selectAll().execute()).toEqual([]);
  });
});
