package io.fabricipam.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ContentTooLargeException;
import io.fabricipam.api.problem.ProblemAdvice;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code fabric.api.max-request-size} with 413 {@code content-too-large}:
 * at once when Content-Length says so, else (chunked) when reading passes the limit, so that no body is
 * ever buffered or parsed beyond it.
 */
public final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final ObjectMapper json;

    public RequestSizeLimitFilter(long limit, ObjectMapper json) {
        this.limit = limit;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            ProblemDetail problem = Problems.of(ProblemType.CONTENT_TOO_LARGE, "the request body has "
                    + request.getContentLengthLong() + " bytes; the limit is " + limit, ProblemAdvice.instance(request));
            problem.setProperty("method", request.getMethod());
            response.setStatus(ProblemType.CONTENT_TOO_LARGE.status().value());
            response.setHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not worth reading
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), problem);
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    /** The request with its body counted as it is read. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws ContentTooLargeException {
            count += n;
            if (count > limit) {
                throw new ContentTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
