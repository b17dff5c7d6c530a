package io.fabricipam.controller.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused by {@link ClusterMode} ends with Spring Boot's "APPLICATION FAILED TO START" block naming
 * the property and what to do, not a stack trace. Registered in {@code META-INF/spring.factories}.
 */
public final class ClusterConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ClusterConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClusterConfigurationException cause) {
        return new FailureAnalysis("Cluster mode cannot start as configured: " + cause.getMessage(), cause.action(), cause);
    }
}
