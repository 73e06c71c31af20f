package clinic.gateway.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/**
 * Problem documents for the answers the HTTP server gives before any Spring code runs. A request
 * line over 4 KiB (414), headers over 8 KiB (431) or a request Netty cannot parse (400) is refused
 * by Reactor Netty's decoder with an empty body and the connection closed; the contract wants every
 * non-2xx to be a problem with a {@code code}. Raising the decoder's limits would only move the
 * edge, so the refusal itself is rewritten on its way out: a handler next to the HTTP codec sees
 * that bodiless full response and gives it the problem body. Everything a handler answers is a
 * streamed response, never a bodiless {@code FullHttpResponse} with these statuses, so nothing else
 * is touched.
 */
@Configuration(proxyBeanMethods = false)
class ProtocolProblems {
    static final String HANDLER = "clinic.protocolProblems";

    @Bean
    NettyServerCustomizer protocolProblemBodies() {
        return server -> server.doOnChannelInit((observer, channel, address) -> {
            // HTTP/1.1 without TLS (the gateway's only listener): the codec is in place by now.
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER, Handler.INSTANCE);
            }
        });
    }

    @ChannelHandler.Sharable
    static final class Handler extends ChannelDuplexHandler {
        static final Handler INSTANCE = new Handler();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof FullHttpResponse r && !r.content().isReadable() && problemFor(r.status().code()) != null
                    && !r.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                FullHttpResponse withBody = withProblem(r);
                r.release();
                super.write(ctx, withBody, promise);
                return;
            }
            super.write(ctx, msg, promise);
        }

        private static FullHttpResponse withProblem(FullHttpResponse r) {
            String[] p = problemFor(r.status().code());
            String json = "{\"type\":\"https://clinic.example/problems/" + p[0] + "\",\"title\":\"" + p[1]
                    + "\",\"status\":" + r.status().code() + ",\"detail\":\"" + p[2] + "\",\"code\":\"" + p[0] + "\"}";
            ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
            DefaultFullHttpResponse out = new DefaultFullHttpResponse(r.protocolVersion(), r.status(), body);
            out.headers().set(r.headers());
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (!out.headers().contains("X-Request-Id")) out.headers().set("X-Request-Id", UUID.randomUUID().toString());
            return out;
        }

        /** code, title, detail of the refusals the decoder makes; null for any other status. */
        static String[] problemFor(int status) {
            return switch (status) {
                case 400 -> new String[] {"malformed_request", "Malformed request",
                        "The request could not be read as HTTP."};
                case 414 -> new String[] {"uri_too_long", "URI too long",
                        "The request line is longer than the server accepts; send long data in a request body."};
                case 431 -> new String[] {"headers_too_large", "Request headers too large",
                        "The request headers are larger than the server accepts."};
                default -> null;
            };
        }
    }
}
