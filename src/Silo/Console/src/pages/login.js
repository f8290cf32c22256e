import { h, show, errorBox } from '../dom.js';

export function loginPage({ login }) {
  const input = h('input', { id: 'key', type: 'password', placeholder: 'cib_…', autocomplete: 'off', required: true });
  const status = h('div');
  const form = h('form', {
    class: 'card stack',
    onsubmit: async (e) => {
      e.preventDefault();
      status.replaceChildren();
      try {
        await login(input.value.trim());
      } catch (error) {
        status.replaceChildren(errorBox(error));
      }
    },
  },
  h('h1', {}, 'Cib investigators\' console'),
  h('p', { class: 'muted' }, 'Paste an API key. It is sent with each request as "Authorization: Bearer" and kept only in this tab (session storage). What you see follows the key\'s roles.'),
  h('label', {}, 'API key', input),
  h('div', {}, h('button', { type: 'submit', id: 'login' }, 'Log in')),
  status);
  show(h('div', { class: 'login' }, form));
  input.focus();
}
