package clinic.kit.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Wires kit-data into a service with a database of its own: the {@code TransactionalOperator} the
 * outbox, the inbox and services' writes run in. Flyway's locations (the service's
 * {@code db/migration} and the kit's {@code db/kit}) are in {@code clinic-kit-defaults-data.properties}
 * ({@link DataDefaults}). The audit log's beans are switched on by kit-messaging (services that record
 * their own writes); the gateway, which merges those logs and answers {@code GET /api/admin/audit}
 * itself, uses only {@code AuditQuery} and {@code AuditEntry}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration",
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration"})
public class DataAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ReactiveTransactionManager.class)
    TransactionalOperator transactionalOperator(ReactiveTransactionManager tm) {
        return TransactionalOperator.create(tm);
    }
}
