package clinic.kit.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param otlpEndpoint  OTLP/HTTP traces endpoint, e.g. {@code http://jaeger:4318/v1/traces}; blank = export nothing
 * @param samplingRatio share of new traces recorded (0..1); a caller's sampled flag is followed
 */
@ConfigurationProperties("clinic.tracing")
public record TracingProperties(String otlpEndpoint, @DefaultValue("1.0") double samplingRatio) {
    public TracingProperties {
        if (samplingRatio < 0 || samplingRatio > 1) {
            throw new IllegalArgumentException("clinic.tracing.sampling-ratio must be between 0 and 1, was " + samplingRatio);
        }
    }

    public boolean exporting() {
        return otlpEndpoint != null && !otlpEndpoint.isBlank();
    }
}
