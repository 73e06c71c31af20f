package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Configuration that must hold before anything is served. */
class StartupTest {

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static void start(String... properties) {
        // As command-line arguments: they outrank application.yml, as the environment would. No
        // database here: the check under test must fail the start before one is needed.
        new SpringApplicationBuilder(GatewayApplication.class)
                .run(java.util.stream.Stream.concat(Stream.of("--server.port=0", "--logging.structured.format.console=",
                                "--spring.flyway.enabled=false"),
                        Stream.of(properties).map(p -> "--" + p)).toArray(String[]::new))
                .close();
    }

    @Test
    void refusesToStartWithoutAKeyEncryptionKeyOutsideTheLocalProfile() {
        assertThatThrownBy(() -> start("clinic.gateway.issuer.key-encryption-key="))
                .satisfies(e -> assertThat(rootCause(e).getMessage()).contains("CLINIC_KEY_ENCRYPTION_KEY"));
    }

    @Test
    void refusesToStartWithTheLocalKeyEncryptionKeyOutsideTheLocalProfile() {
        assertThatThrownBy(() -> start("clinic.gateway.issuer.key-encryption-key=bG9jYWwtb25seS1rZXktZW5jcnlwdGlvbi1rZXkhISE="))
                .satisfies(e -> assertThat(rootCause(e).getMessage()).contains("local key-encryption key"));
    }

    record User(String username, String passwordHash, List<String> roles) {}

    @Test
    void theLocalProfileHasExactlyTheThreeDocumentedUsers() throws Exception {
        var env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("local", new ClassPathResource("application-local.yml"))
                .forEach(env.getPropertySources()::addFirst);
        List<User> users = Binder.get(env).bind("clinic.gateway.users", Bindable.listOf(User.class)).get();
        assertThat(users).extracting(User::username)
                .containsExactly("staff@clinic.test", "marketing@clinic.test", "admin@clinic.test");
        assertThat(users).extracting(u -> u.roles().get(0)).containsExactly("STAFF", "MARKETING", "ADMIN");
        for (User u : users) {
            assertThat(BCrypt.checkpw("dev-password", u.passwordHash())).as(u.username()).isTrue();
        }
        // And nowhere else: the main configuration has no users at all.
        var main = new StandardEnvironment();
        new YamlPropertySourceLoader().load("main", new ClassPathResource("application.yml"))
                .forEach(main.getPropertySources()::addFirst);
        assertThat(Binder.get(main).bind("clinic.gateway.users", Bindable.listOf(Map.class)).isBound()).isFalse();
    }
}
