package io.fabricipam.controller.dhcp;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The DHCP core in the context's lifecycle, in the phase before every front end: they start after it (so
 * they never see a core that is not ready) and stop before it (so requests in flight are answered while the
 * journal is open). When the early phase started the core already, start has nothing left to do.
 */
@Component
public class DhcpLifecycle implements SmartLifecycle {

    /** Front ends start in a later phase, so they never see a core that is not ready. */
    public static final int PHASE = 0;

    private final DhcpCore core;
    private volatile boolean running;

    public DhcpLifecycle(DhcpCore core) {
        this.core = core;
    }

    @Override
    public void start() {
        if (!core.isRunning()) {
            core.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        core.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
