// Shared by newsletter-confirm.html and newsletter-unsubscribe.html. Opening the page changes
// nothing (mail scanners follow links); the person's button press POSTs the token from the link.
import { ApiError, describe, post } from './api.js';
import { wireHeader } from './auth.js';
import { $, busy, el } from './ui.js';

wireHeader();

const box = $('#result');
const outcome = $('#outcome');
const button = $('#act');
const action = box.dataset.action;
const token = new URLSearchParams(location.search).get('token');

const TEXT = {
  confirm: {
    ok: ['You’re subscribed', 'Thank you for confirming. You’ll now hear about our offers and news. Every email has a link to unsubscribe.'],
    again: ['You’re already subscribed', 'You confirmed this subscription earlier — there’s nothing more to do.'],
    expired: 'This confirmation link has expired. Please sign up again and we’ll send you a new one.',
    bad: 'This confirmation link isn’t valid. If you’d still like our newsletter, please sign up again.',
  },
  unsubscribe: {
    ok: ['You’ve been unsubscribed', 'We won’t send you any more newsletters. You can sign up again at any time.'],
    bad: 'This unsubscribe link isn’t valid. If you keep getting emails you don’t want, please contact the clinic.',
  },
};

function finish(kind, heading, text, link) {
  box.hidden = true;
  const card = el('div', { className: `card${kind === 'ok' ? ' confirmation' : ''}`, id: 'outcome-card', dataset: { outcome: kind } },
    el('h2', { text: heading }), el('p', { text }), link);
  outcome.replaceChildren(card);
}

async function act() {
  const t = TEXT[action];
  try {
    const r = await busy(button, action === 'confirm' ? 'Confirming…' : 'Unsubscribing…',
      () => post(`/api/newsletter/${action}`, { token }));
    const [heading, text] = r && r.alreadyConfirmed ? t.again : t.ok;
    finish('ok', heading, text, el('p', {}, el('a', { href: 'index.html', text: 'Back to the home page' })));
  } catch (e) {
    const expired = e instanceof ApiError && e.code === 'token_expired';
    const bad = e instanceof ApiError && (e.status === 404 || e.status === 400);
    if (!expired && !bad) {
      // Nothing happened (network, a service away): the button stays for another try.
      outcome.replaceChildren(el('p', { className: 'notice error', role: 'alert', text: describe(e) }));
      return;
    }
    finish(expired ? 'expired' : 'invalid', expired ? 'This link has expired' : 'Something’s not right',
      expired ? t.expired : t.bad, el('p', {}, el('a', { href: 'newsletter.html', text: 'Go to newsletter sign-up' })));
  }
}

if (!token) {
  box.replaceChildren(el('p', { text: 'This link is missing its code. Please use the full link from your email.' }));
} else {
  button.addEventListener('click', act);
}
