package clinic.gateway.account;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicBaseUrl   where links in mails point (the web front)
 * @param mailFrom        sender of invitation and reset mails
 * @param inviteTtl       how long an invitation link works
 * @param resetTtl        how long a reset link works
 * @param firstAdminEmail a production install's first admin: when no ADMIN account exists at start,
 *                        this address is invited as ADMIN (set once, then remove it)
 * @param disabledRefresh how often each gateway instance re-reads which accounts are disabled (their
 *                        tokens are refused from then on; the contract allows 60 s)
 */
@ConfigurationProperties("clinic.gateway.accounts")
public record AccountProperties(
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("Clinic <hello@clinic.test>") String mailFrom,
        @DefaultValue("72h") Duration inviteTtl,
        @DefaultValue("1h") Duration resetTtl,
        String firstAdminEmail,
        @DefaultValue("10s") Duration disabledRefresh) {
}
