// Shared by newsletter-confirm.html and newsletter-unsubscribe.html: one call with the token from the link.
import { ApiError, describe, get, query } from './api.js';
import { wireHeader } from './auth.js';
import { $, el } from './ui.js';

wireHeader();

const box = $('#result');
const action = box.dataset.action;
const token = new URLSearchParams(location.search).get('token');

const TEXT = {
  confirm: {
    ok: ['You’re subscribed', 'Thank you for confirming. You’ll now hear about our offers and news. Every email has a link to unsubscribe.'],
    bad: 'This confirmation link isn’t valid or has already been used. If you’d still like our newsletter, please sign up again.',
  },
  unsubscribe: {
    ok: ['You’ve been unsubscribed', 'We won’t send you any more newsletters. You can sign up again at any time.'],
    bad: 'This unsubscribe link isn’t valid. If you keep getting emails you don’t want, please contact the clinic.',
  },
};

async function run() {
  const t = TEXT[action];
  if (!token) {
    box.replaceChildren(el('p', { text: 'This link is missing its code. Please use the full link from your email.' }));
    return;
  }
  try {
    await get(`/api/newsletter/${action}${query({ token })}`);
    box.classList.add('confirmation');
    box.replaceChildren(el('h2', { text: t.ok[0] }), el('p', { text: t.ok[1] }), el('p', {}, el('a', { href: 'index.html', text: 'Back to the home page' })));
  } catch (e) {
    const bad = e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 410);
    box.replaceChildren(el('h2', { text: 'Something’s not right' }), el('p', { text: bad ? t.bad : describe(e) }),
      el('p', {}, el('a', { href: 'newsletter.html', text: 'Go to newsletter sign-up' })));
  }
}

run();
