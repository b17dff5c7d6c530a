/**
 * The fabric as a cluster of hosts on ZooKeeper (through Apache Curator): who is in it and who leads it.
 *
 * <ul>
 *   <li>{@link io.fabricipam.fabric.cluster.ClusterSettings}: the {@code fabric.cluster.*} values, validated;</li>
 *   <li>{@link io.fabricipam.fabric.cluster.HostMembership}: this host's ephemeral node
 *       {@code <base>/hosts/<hostId>} (a {@link io.fabricipam.fabric.cluster.HostRecord} encoded by
 *       {@link io.fabricipam.fabric.cluster.HostRecordCodec}) with a heartbeat, and a
 *       {@link io.fabricipam.fabric.cluster.Membership} snapshot of every host, UP or LOST;</li>
 *   <li>{@link io.fabricipam.fabric.cluster.LeadershipService}: whether this host leads, with its epoch:
 *       {@link io.fabricipam.fabric.cluster.Leadership} (a {@code LeaderLatch} on {@code <base>/leader}, an
 *       {@link io.fabricipam.fabric.cluster.EpochClaim} in the store before leading, the role as the pure
 *       {@link io.fabricipam.fabric.cluster.LeaderStateMachine}) or
 *       {@link io.fabricipam.fabric.cluster.StaticLeadership} for a single host without ZooKeeper;</li>
 *   <li>{@link io.fabricipam.fabric.cluster.ClusterHost}: the Curator client, membership and leadership of this
 *       host, started and closed together.</li>
 * </ul>
 *
 * <p>ZooKeeper layout under the base path (default {@code /fabric-ipam}): {@code hosts/<hostId>} (ephemeral,
 * one per live host; the leader's record carries its epoch) and {@code leader/} (the latch's ephemeral
 * sequential nodes; the lowest one leads). Nothing else depends on this package; it depends on nothing
 * internal.
 */
package io.fabricipam.fabric.cluster;
