package io.fabricipam.ovs.port;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bindings given in code: for deployments without OVSDB access (a remote switch) and for tests.
 * {@link #set} replaces them and triggers a reconcile like an OVSDB update would.
 */
public final class StaticPortBindings implements PortBindingSource {

    private final AtomicReference<Map<String, PortBinding>> bindings;
    private volatile Runnable onChange = () -> { };

    public StaticPortBindings(Map<String, PortBinding> initial) {
        this.bindings = new AtomicReference<>(Map.copyOf(initial));
    }

    public void set(Map<String, PortBinding> next) {
        bindings.set(Map.copyOf(next));
        onChange.run();
    }

    @Override
    public void start(Runnable listener) {
        this.onChange = listener;
    }

    @Override
    public Map<String, PortBinding> bindings() {
        return bindings.get();
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
        onChange = () -> { };
    }
}
