package clinic.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of a limit's row: a SHA-256 of the limit's name and the client address or username, so the
 * shared tables hold no address or e-mail in clear (they are read by whoever looks at the database).
 */
public final class LimitKeys {
    private LimitKeys() {
    }

    public static String of(String limit, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((limit + '\n' + subject).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
