package clinic.kit.config;

import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code clinic-kit-defaults.properties} as the lowest-precedence property source: one place
 * for the settings every service shares (Flyway locations, health groups, JSON logs), which a
 * service's application.yml or the environment can still override.
 */
public class KitDefaults implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
        try {
            var sources = new PropertiesPropertySourceLoader()
                    .load("clinic-kit-defaults", new ClassPathResource("clinic-kit-defaults.properties"));
            sources.forEach(env.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read clinic-kit-defaults.properties", e);
        }
    }
}
