/**
 * A clock the system tests can move forward (profile {@code test-clock}, only together with
 * {@code local}): the one way to reach "after the appointment started" without waiting for it.
 * Absent from every other run; deploy's DeploymentSettingsTest keeps it out of every overlay.
 */
package clinic.booking.testclock;
