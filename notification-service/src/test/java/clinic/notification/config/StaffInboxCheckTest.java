package clinic.notification.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Outside the local profile, staff mail must go to the clinic's own inboxes, or the service does not start. */
class StaffInboxCheckTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NotificationProperties.class)
    static class Settings {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class, StaffInboxCheck.class);

    @Test
    void productionWithTheDefaultsRefusesToStartNamingBothSettings() {
        runner.withPropertyValues("spring.profiles.active=production").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("STAFF_INBOX_DOMAIN")
                    .hasMessageContaining("CALLBACK_FALLBACK_INBOX");
        });
    }

    @Test
    void noProfileWithSettingsStillOnClinicTestRefusesToStart() {
        runner.withPropertyValues(
                        "clinic.notifications.staff-inbox-domain=CLINIC.TEST",
                        "clinic.notifications.callback-fallback-inbox=callbacks@staff.clinic.example")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("STAFF_INBOX_DOMAIN")
                        .message().doesNotContain("CALLBACK_FALLBACK_INBOX"));
        runner.withPropertyValues(
                        "clinic.notifications.staff-inbox-domain=staff.clinic.example",
                        "clinic.notifications.callback-fallback-inbox=",
                        "clinic.notifications.staff-inboxes.sheffield=sheffield@clinic.test")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("CALLBACK_FALLBACK_INBOX (clinic.notifications.callback-fallback-inbox) is unset")
                        .hasMessageContaining("staff inbox of sheffield"));
    }

    @Test
    void productionWithTheClinicsOwnInboxesStarts() {
        runner.withPropertyValues("spring.profiles.active=production",
                        "clinic.notifications.staff-inbox-domain=staff.clinic.example",
                        "clinic.notifications.callback-fallback-inbox=callbacks@staff.clinic.example")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(NotificationProperties.class).staffInboxFor("sheffield"))
                            .isEqualTo("sheffield@staff.clinic.example");
                });
    }

    @Test
    void theLocalRunKeepsItsDevelopmentInboxes() {
        runner.withPropertyValues("spring.profiles.active=local").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(NotificationProperties.class).staffInboxFor(null)).isEqualTo("callbacks@clinic.test");
        });
    }
}
