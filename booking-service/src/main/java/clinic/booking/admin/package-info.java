/**
 * Clinic administration (contract 1.1): locations, treatments, therapists, weekly patterns, time
 * off and closures written by an ADMIN, each write in one transaction with its catalogue event
 * and audit entry. The local demo clinic and the bank holidays go through the same code.
 */
package clinic.booking.admin;
