// terms.html and privacy.html: plain text pages; the script only wires the shared header.
import { wireHeader } from './auth.js';

wireHeader();
