// The version of the terms and privacy policy in force: the one privacy.html and terms.html show,
// and the one consent records name (callback form). Publishing a new text: copy the current pages to
// privacy-<old version>.html / terms-<old version>.html, list them under "Earlier versions",
// write the new text, and change this constant and the version shown on both pages together.
export const POLICY_VERSION = '2026-12-06';
