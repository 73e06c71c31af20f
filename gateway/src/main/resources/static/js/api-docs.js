import { wireHeader } from './auth.js';
import { $ } from './ui.js';

wireHeader();

// The bundle is a classic script loaded before this module; without it (a failed download) the page
// says so instead of staying blank.
const status = $('#api-status');
if (typeof window.SwaggerUIBundle !== 'function') {
  status.textContent = 'The API reference viewer could not be loaded. The description itself is at /api/openapi.json.';
} else {
  window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    // Browsing, not a console: calls from this page would carry no session and confuse more than help.
    supportedSubmitMethods: [],
    onComplete: () => { status.hidden = true; },
  });
}
