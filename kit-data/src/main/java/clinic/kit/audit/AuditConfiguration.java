package clinic.kit.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

/** The audit log of a service with a database (imported by the kit's auto-configuration). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {
    @Bean
    AuditLog auditLog(DatabaseClient db, ObjectMapper mapper, Environment env, Clock clock) {
        return new AuditLog(db, mapper, env.getProperty("spring.application.name", "clinic"), clock);
    }

    @Bean
    AuditController auditController(AuditLog log) {
        return new AuditController(log);
    }
}
