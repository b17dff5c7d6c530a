/**
 * The storage I/O path of a host: QEMU's iSCSI portal is a redirector on 127.0.0.1:3261 that
 * sends every login to a healthy storage target, preferring the local one, and moves sessions
 * back when the local target recovers. {@link io.fabricipam.fabric.storage.StorageFabric} is the
 * one object the application holds.
 *
 * <ul>
 *   <li>{@code iscsi}: RFC 7143 PDU codec (bytes only);</li>
 *   <li>{@code target}: the target model and ALUA-like path selection (pure);</li>
 *   <li>{@code health}: NOP-Out probing and the health state machine;</li>
 *   <li>{@code redirect}: the login redirector and the session log;</li>
 *   <li>{@code failback}: hold-down policy, target admin drivers (tgtadm), connection fencing;</li>
 *   <li>{@code disk}: how a VM disk is attached, as libvirt XML;</li>
 *   <li>{@code text}: {@code SafeText}, how outside text goes into logs and error messages.</li>
 * </ul>
 * No package here depends on this one; {@code text} depends on nothing, {@code target} and
 * {@code iscsi} only on {@code text}.
 */
package io.fabricipam.fabric.storage;
