package io.fabricipam.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class AuditContextTest {

    @AfterEach
    void unbind() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void describesTheRequestBoundToTheThreadJoiningSeveralCalls() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/scopes");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));

        AuditContext.describe("created scope lab (10.20.0.0/24)");
        AuditContext.describe("  reserved 10.20.0.100 for 02:00:00:00:00:01 ");
        AuditContext.describe(" ");

        assertThat(AuditContext.summary(request))
                .contains("created scope lab (10.20.0.0/24); reserved 10.20.0.100 for 02:00:00:00:00:01");
    }

    @Test
    void outsideARequestItDoesNothing() {
        AuditContext.describe("nobody listens");
        assertThat(RequestContextHolder.getRequestAttributes()).isNull();
    }

    @Test
    void anUndescribedRequestHasNoSummary() {
        assertThat(AuditContext.summary(new MockHttpServletRequest())).isEmpty();
    }
}
