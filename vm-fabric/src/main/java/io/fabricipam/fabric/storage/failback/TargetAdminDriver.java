package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.util.List;

/**
 * The part of a storage target's administration failback needs: see who is connected, and drop
 * a connection so that its initiator logs in again (through the redirector, which now prefers
 * the local target). One implementation per target software; {@link TgtAdminDriver} for tgt.
 */
public interface TargetAdminDriver {

    /** Whether this driver can reach the target's admin interface (e.g. its admin address is configured). */
    boolean manages(TargetSpec target);

    /** The initiator connections the target serves now. */
    List<TargetConnection> connections(TargetSpec target) throws IOException;

    /** Drops one connection at the target. The initiator sees the connection close and reconnects. */
    void drop(TargetSpec target, TargetConnection connection) throws IOException;

    /** A driver for deployments without failback: manages nothing. */
    TargetAdminDriver NONE = new TargetAdminDriver() {
        @Override
        public boolean manages(TargetSpec target) {
            return false;
        }

        @Override
        public List<TargetConnection> connections(TargetSpec target) {
            return List.of();
        }

        @Override
        public void drop(TargetSpec target, TargetConnection connection) {
            throw new UnsupportedOperationException("no target admin driver configured");
        }
    };
}
