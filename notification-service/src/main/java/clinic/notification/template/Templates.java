package clinic.notification.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Fills {@code {{placeholder}}} templates from {@code classpath:templates/}. A mail template is a
 * pair: {@code <name>.txt}, whose first line is {@code Subject: ...}, and {@code <name>.html}. An
 * SMS template is {@code <name>.sms.txt}. A placeholder without a value is an error, so a typo
 * fails the first test rather than reaching a customer as "{{nmae}}". {@code {{#key}}…{{/key}}}
 * encloses what is shown only when {@code key} has a value.
 */
@Component
public class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final Pattern SECTION = Pattern.compile("\\{\\{#([A-Za-z0-9_]+)}}(.*?)\\{\\{/\\1}}", Pattern.DOTALL);
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public RenderedMessage email(String name, Map<String, String> values) {
        String template = load(name + ".txt");
        int end = template.indexOf('\n');
        if (!template.startsWith("Subject:") || end < 0) {
            throw new IllegalStateException("template " + name + ".txt must start with a Subject: line");
        }
        // Split before filling: a value with a line break must not move the end of the subject.
        String subject = fill(template.substring("Subject:".length(), end), values, UnaryOperator.identity())
                .replaceAll("[\\r\\n\\t]+", " ").trim();
        String body = fill(template.substring(end + 1).stripLeading(), values, UnaryOperator.identity());
        String html = fill(load(name + ".html"), values, Templates::escapeHtml);
        return new RenderedMessage(subject, body, html);
    }

    public String sms(String name, Map<String, String> values) {
        return fill(load(name + ".sms.txt"), values, UnaryOperator.identity()).strip();
    }

    static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(sections(template, values));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) {
                throw new IllegalStateException("no value for {{" + key + "}}");
            }
            String v = values.get(key);
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(v == null ? "" : v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * {@code {{#key}}…{{/key}}} keeps what it encloses only when {@code key} has a non-empty value,
     * so a line such as the clinic's phone disappears, label and all, when there is none. The key
     * must be given (empty is fine), like any placeholder.
     */
    private static String sections(String template, Map<String, String> values) {
        Matcher m = SECTION.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) throw new IllegalStateException("no value for {{#" + key + "}}");
            String v = values.get(key);
            m.appendReplacement(out, Matcher.quoteReplacement(v == null || v.isEmpty() ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private String load(String file) {
        return cache.computeIfAbsent(file, f -> {
            try (InputStream in = Templates.class.getResourceAsStream("/templates/" + f)) {
                if (in == null) throw new IllegalStateException("no template templates/" + f);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
