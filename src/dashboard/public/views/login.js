// @ts-check
// The sign-in form. It only obtains a session; where to go next is the router's call (`onSignedIn`).
import { ApiError, login } from '../api.js';
import { h } from '../dom.js';
import { mount, newView } from '../lifecycle.js';

export function renderLogin({ notice, onSignedIn }) {
  newView();
  document.title = 'Sign in · Crossover';
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error', hidden: true });
  const email = h('input', { type: 'email', id: 'email', name: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login', id: 'login-form', novalidate: true },
    h('h1', null, 'Sign in'),
    h('p', { class: 'muted' }, 'LLM spend, self-hosting economics and your migration roadmap.'),
    notice ? h('p', { class: 'notice' }, notice) : null,
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    if (!email.value || !password.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await login(email.value.trim(), password.value);
      onSignedIn();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401 ? 'Invalid email or password.' : err instanceof Error ? err.message : String(err);
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      password.select();
    }
  });
  mount(h('div', { class: 'login-wrap' }, form));
  email.focus();
}
