package io.fabricipam.controller.cluster;

/** A start refused because cluster mode is configured in a way that cannot work; names the property. */
public final class ClusterConfigurationException extends IllegalStateException {

    private final String property;
    private final String action;

    ClusterConfigurationException(String property, String problem, String action) {
        super(property + ": " + problem);
        this.property = property;
        this.action = action;
    }

    public String property() {
        return property;
    }

    /** What the operator should do about it. */
    public String action() {
        return action;
    }
}
