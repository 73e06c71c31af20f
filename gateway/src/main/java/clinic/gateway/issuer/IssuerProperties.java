package clinic.gateway.issuer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keyEncryptionKey base64 of a 32-byte AES key that encrypts the private signing keys at rest
 * @param tokenTtl         lifetime of a user's access token
 * @param serviceTokenTtl  lifetime of a service's client-credentials token
 * @param publishAhead     a new key is in the JWKS this long before it signs (longer than the services'
 *                         JWKS cache, so none meets a token whose key it has not fetched)
 * @param refresh          how often an instance re-reads the keys from the database
 * @param clients          services allowed to ask for a token: client id -> secret hash and audiences
 */
@ConfigurationProperties("clinic.gateway.issuer")
public record IssuerProperties(
        String keyEncryptionKey,
        @DefaultValue("15m") Duration tokenTtl,
        @DefaultValue("5m") Duration serviceTokenTtl,
        @DefaultValue("45s") Duration publishAhead,
        @DefaultValue("10s") Duration refresh,
        @DefaultValue Map<String, Client> clients) {

    /** @param secretHash bcrypt of the client's secret; the secret itself lives only with the client */
    public record Client(String secretHash, @DefaultValue List<String> audiences) {}
}
