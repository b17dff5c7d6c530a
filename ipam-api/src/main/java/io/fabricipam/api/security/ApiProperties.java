package io.fabricipam.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code fabric.api.*}: who may use the REST API and how it is audited.
 *
 * @param anonymousRead      let GET and HEAD on {@code /api/**} through without a token (token and audit
 *                           endpoints still need an admin token)
 * @param adminToken         an admin token for this run, held in memory as its hash; the environment variable
 *                           {@code FABRIC_IPAM_ADMIN_TOKEN} takes precedence. Unset: one is generated on first
 *                           start into {@code ${fabric.data-dir}/admin-token}
 * @param tokenRefresh       how often the token cache is reloaded from the database, so that tokens created or
 *                           revoked on another node of a cluster take effect here too (changes made through this
 *                           node take effect at once)
 * @param auditRetention     audit rows older than this are deleted, once a day
 * @param auditQueueCapacity audit events waiting for the writer; beyond it they are dropped, counted and
 *                           logged, never blocking a request
 * @param auditBatchSize     most audit events inserted in one batch
 * @param maxRequestSize     largest request body accepted (1 MiB: a scope with the most pools and exclusions
 *                           is about 300 KB of JSON); larger bodies get 413 {@code content-too-large}
 */
@ConfigurationProperties("fabric.api")
public record ApiProperties(
        @DefaultValue("false") boolean anonymousRead,
        String adminToken,
        @DefaultValue("30s") Duration tokenRefresh,
        @DefaultValue("90d") Duration auditRetention,
        @DefaultValue("10000") int auditQueueCapacity,
        @DefaultValue("500") int auditBatchSize,
        @DefaultValue("1MB") DataSize maxRequestSize) {

    public ApiProperties {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        if (tokenRefresh == null || tokenRefresh.isNegative() || tokenRefresh.isZero()) {
            throw new IllegalArgumentException("fabric.api.token-refresh must be positive");
        }
        if (auditRetention == null || auditRetention.isNegative() || auditRetention.isZero()) {
            throw new IllegalArgumentException("fabric.api.audit-retention must be positive");
        }
        if (auditQueueCapacity < 1 || auditBatchSize < 1) {
            throw new IllegalArgumentException("fabric.api.audit-queue-capacity and audit-batch-size must be at least 1");
        }
        if (maxRequestSize == null || maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException("fabric.api.max-request-size must be positive");
        }
    }

    /** Never prints the admin token: records print every component, and properties end up in logs. */
    @Override
    public String toString() {
        return "ApiProperties[anonymousRead=" + anonymousRead + ", adminToken=" + (adminToken == null ? "unset" : "(set)")
                + ", tokenRefresh=" + tokenRefresh + ", auditRetention=" + auditRetention
                + ", auditQueueCapacity=" + auditQueueCapacity + ", auditBatchSize=" + auditBatchSize
                + ", maxRequestSize=" + maxRequestSize + "]";
    }
}
