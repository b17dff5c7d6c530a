package io.fabricipam.ovs.port;

import java.util.Map;

/**
 * Where port roles, VLANs and pinned MACs come from (OVSDB in production). The switch's own port list
 * says which ports exist; this says what they are.
 */
public interface PortBindingSource extends AutoCloseable {

    /** Starts delivering; {@code onChange} runs (on the source's thread) after every change of {@link #bindings()}. */
    void start(Runnable onChange);

    /** The current bindings by interface name (the name the switch reports for the OpenFlow port). */
    Map<String, PortBinding> bindings();

    /** Whether the source is currently in touch with its database (for health and the read model). */
    boolean connected();

    @Override
    void close();
}
