package clinic.kit.config;

import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code clinic-kit-defaults.properties} as the lowest-precedence property source: one place
 * for the settings every service shares (health groups, JSON logs, codecs), which a service's
 * application.yml or the environment can still override. kit-data and kit-messaging add theirs the
 * same way ({@link DataDefaults}, {@link MessagingDefaults}): each module's defaults come with it.
 */
public class KitDefaults implements EnvironmentPostProcessor {
    private final String resource;

    public KitDefaults() {
        this("clinic-kit-defaults.properties");
    }

    protected KitDefaults(String resource) {
        this.resource = resource;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
        try {
            var sources = new PropertiesPropertySourceLoader()
                    .load(resource.replace(".properties", ""), new ClassPathResource(resource));
            sources.forEach(env.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
