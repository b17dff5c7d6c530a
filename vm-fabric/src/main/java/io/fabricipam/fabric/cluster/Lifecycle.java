package io.fabricipam.fabric.cluster;

/**
 * The lifecycle of {@link HostMembership} and {@link Leadership}, as in Curator's recipes.
 *
 * <ul>
 *   <li>{@link #LATENT}: built, nothing sent to ZooKeeper; {@code start()} moves to STARTED, {@code close()} to
 *       CLOSED.</li>
 *   <li>{@link #STARTED}: registered and watching; {@code close()} moves to CLOSED. A second {@code start()}
 *       fails.</li>
 *   <li>{@link #CLOSED}: terminal; nodes removed, threads stopped. {@code close()} again does nothing, {@code start()}
 *       fails: an object is used once.</li>
 * </ul>
 */
public enum Lifecycle {
    LATENT,
    STARTED,
    CLOSED
}
