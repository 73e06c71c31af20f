/** HTTP of privacy: the internal contact lookup (and the export and erasure of one person's data). */
package clinic.callback.privacy.web;
