package clinic.kit.web;

import clinic.kit.web.ClinicException.Violation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * The one place that turns any failure into an RFC 9457 problem with a stable {@code code}.
 * Clients never see a stack trace, SQL or a class name; unexpected failures are logged here with
 * their stack and answered with a bare 500 {@code internal_error}.
 */
public final class ProblemMapper {
    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);
    private static final String TYPE_BASE = "https://clinic.example/problems/";
    /** A database (or other dependency) that is down or restarting: 503, never 500. */
    private static final java.util.Set<String> UNAVAILABLE_TYPES = java.util.Set.of(
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.dao.TransientDataAccessException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "io.r2dbc.spi.R2dbcNonTransientResourceException",
            "io.r2dbc.spi.R2dbcTransientResourceException",
            "io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionClosedException",
            "io.r2dbc.postgresql.PostgresqlConnectionFactory$PostgresConnectionException");

    private ProblemMapper() {}

    public static ProblemDetail toProblem(Throwable error) {
        return classify(error, true);
    }

    /**
     * The status a caller is answered with for {@code error}, exactly as {@link #toProblem} decides
     * it, without logging (for a span or a metric that must agree with the answer).
     */
    public static int status(Throwable error) {
        return classify(error, false).getStatus();
    }

    /** @param report whether to log what the caller's answer does not show (conflicts, outages, bugs) */
    private static ProblemDetail classify(Throwable error, boolean report) {
        if (error instanceof ClinicException e) {
            ProblemDetail p = problem(e.status(), e.code(), e.title(), e.getMessage());
            e.properties().forEach(p::setProperty);
            return p;
        }
        if (error instanceof WebExchangeBindException e) {
            List<Violation> violations = new ArrayList<>();
            for (FieldError fe : e.getFieldErrors()) {
                violations.add(new Violation(fe.getField(), fe.getDefaultMessage()));
            }
            e.getGlobalErrors().forEach(ge -> violations.add(new Violation(ge.getObjectName(), ge.getDefaultMessage())));
            return validation(violations);
        }
        if (error instanceof HandlerMethodValidationException e) {
            List<Violation> violations = new ArrayList<>();
            e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err ->
                    violations.add(new Violation(parameterName(r.getMethodParameter()), err.getDefaultMessage()))));
            return validation(violations);
        }
        if (error instanceof ConstraintViolationException e) {
            List<Violation> violations = e.getConstraintViolations().stream()
                    .map(v -> new Violation(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                    .toList();
            return validation(violations);
        }
        if (error instanceof DataBufferLimitException || causedBy(error, DataBufferLimitException.class)) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "Request too large",
                    "The request body is larger than the service accepts");
        }
        if (error instanceof MissingRequestValueException e) {
            return validation(List.of(new Violation(e.getName(), "is required")));
        }
        if (error instanceof ServerWebInputException e) {
            return inputProblem(e);
        }
        if (error instanceof ResponseStatusException e) {
            return statusProblem(e.getStatusCode(), e.getReason());
        }
        String sqlState = sqlState(error);
        if (sqlState != null && sqlState.startsWith("22")) {
            // A data exception: the input reached the database but cannot be stored (a NUL
            // character, a date beyond PostgreSQL's range, a number out of range). The caller's fault.
            return validation(List.of(new Violation("request",
                    "contains a value that cannot be stored (for example a NUL character or an out-of-range date)")));
        }
        if ("40P01".equals(sqlState) || "40001".equals(sqlState)) {
            if (report) log.warn("transaction conflict, answered 503: {}", error.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "Busy",
                    "The service was too busy to complete the request; it changed nothing, please try again");
        }
        if (causedBy(error, java.time.DateTimeException.class) && !(error instanceof ClinicException)) {
            return validation(List.of(new Violation("request", "contains a date or time outside the supported range")));
        }
        if (isUnavailable(error)) {
            if (report) log.warn("dependency unavailable: {}", error.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "Temporarily unavailable",
                    "The service cannot reach its database right now; please try again shortly");
        }
        if (report) log.error("unexpected failure", error);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error",
                "Something went wrong on our side; it has been logged");
    }

    private static ProblemDetail inputProblem(ServerWebInputException e) {
        Throwable cause = e.getCause();
        if (cause instanceof DecodingException && cause.getCause() instanceof JsonProcessingException jpe) {
            cause = jpe;
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException jme = (JsonMappingException) cause;
            String path = jsonPath(jme);
            if (!path.isEmpty()) {
                return validation(List.of(new Violation(path, "has the wrong type or format")));
            }
            return problem(HttpStatus.BAD_REQUEST, "malformed_request", "Malformed request",
                    "The request body is missing or is not the expected JSON");
        }
        if (cause instanceof JsonProcessingException || cause instanceof DecodingException
                || e.getMethodParameter() != null && e.getMethodParameter().hasParameterAnnotation(
                        org.springframework.web.bind.annotation.RequestBody.class)) {
            return problem(HttpStatus.BAD_REQUEST, "malformed_request", "Malformed request",
                    "The request body is missing or is not valid JSON");
        }
        if (e.getMethodParameter() != null) {
            return validation(List.of(new Violation(parameterName(e.getMethodParameter()),
                    "has the wrong type or format")));
        }
        return problem(HttpStatus.BAD_REQUEST, "malformed_request", "Malformed request",
                "The request could not be read");
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String parameterName(org.springframework.core.MethodParameter mp) {
        var rp = mp.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (rp != null && !rp.name().isEmpty()) return rp.name();
        if (rp != null && !rp.value().isEmpty()) return rp.value();
        var rh = mp.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class);
        if (rh != null && !rh.name().isEmpty()) return rh.name();
        if (rh != null && !rh.value().isEmpty()) return rh.value();
        String name = mp.getParameterName();
        return name == null ? "parameter" : name;
    }

    private static String lastNode(String path) {
        int dot = path.indexOf('.');
        // "create.request.customer.email" -> drop the method and argument names
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : dot >= 0 ? path.substring(dot + 1) : path;
    }

    public static ProblemDetail statusProblem(HttpStatusCode status, String reason) {
        HttpStatus s = HttpStatus.resolve(status.value());
        String code = switch (status.value()) {
            case 400 -> "malformed_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "service_unavailable";
            default -> status.is4xxClientError() ? "bad_request" : "internal_error";
        };
        String title = s == null ? "Error" : s.getReasonPhrase();
        String detail = status.value() == 404 ? "No such resource" : (reason == null ? title : reason);
        return problem(status, code, title, detail);
    }

    public static ProblemDetail validation(List<Violation> violations) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                "The request has invalid fields");
        p.setProperty("violations", violations);
        return p;
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + code));
        p.setTitle(title);
        p.setProperty("code", code);
        return p;
    }

    /** A dependency (the database, mostly) that is down or restarting: worth waiting for, never the caller's fault. */
    public static boolean isDependencyUnavailable(Throwable error) {
        return isUnavailable(error);
    }

    private static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof TimeoutException) {
                return true;
            }
            // By name, not type: kit-web depends on neither spring-tx nor R2DBC (those come with kit-data).
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (UNAVAILABLE_TYPES.contains(c.getName())) return true;
            }
        }
        return false;
    }

    /**
     * The SQLSTATE of the first R2DBC or JDBC exception in the cause chain, read reflectively: kit-web has no
     * R2DBC on its class path, so it cannot use kit-data's {@code clinic.kit.data.SqlStates}.
     */
    static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals("io.r2dbc.spi.R2dbcException") || c.getName().equals("java.sql.SQLException")) {
                    try {
                        Object state = t.getClass().getMethod("getSqlState").invoke(t);
                        if (state != null) return state.toString();
                    } catch (ReflectiveOperationException ignored) {
                        // not readable: keep looking down the chain
                    }
                }
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
