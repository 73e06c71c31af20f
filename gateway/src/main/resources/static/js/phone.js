// The browser's half of the phone rule booking-service and callback-service apply (libphonenumber:
// a valid UK number as people write it, or any number in international form). It is a lenient
// first check, so a plain-English message comes before submitting; the server still has the last word.

const UK_NATIONAL = /^[1-9]\d{8,9}$/; // after the leading 0 or +44: 9 or 10 digits
const E164 = /^\+[1-9]\d{6,14}$/;

export const PHONE_HINT = 'Enter a UK phone number like 07123 456789, or an international one starting with + and the country code.';

/** '' when the number looks valid, else the sentence to show next to the field. */
export function phoneProblem(value) {
  const raw = String(value || '').trim();
  if (!raw) return 'Enter your phone number.';
  if (/[^\d\s+()./-]/.test(raw) || raw.indexOf('+') > 0) return PHONE_HINT;
  const n = raw.replace(/[\s()./-]/g, '').replace(/^00/, '+');
  if (n.startsWith('+44')) return UK_NATIONAL.test(n.slice(3).replace(/^0/, '')) ? '' : PHONE_HINT;
  if (n.startsWith('+')) return E164.test(n) ? '' : PHONE_HINT;
  if (n.startsWith('0')) return UK_NATIONAL.test(n.slice(1)) ? '' : PHONE_HINT;
  return PHONE_HINT;
}
