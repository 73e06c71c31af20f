/** The public, read-only view of the callback response target, so the web front promises what is configured. */
package clinic.callback.sla.web;
