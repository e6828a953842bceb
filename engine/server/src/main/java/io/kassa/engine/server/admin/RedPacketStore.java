package io.kassa.engine.server.admin;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The port to split red packets in the system of record. Every change runs in one transaction
 * with its audit row; an opening also issues its coupon and tells the opener's hot copy to
 * reload. Whatever node an opening comes from, the packet's row in the source of truth decides
 * who gets which share: never more openings than shares, never two shares to one member.
 */
public interface RedPacketStore {

    /** Creates the packet once per request id; a retry answers the packet made first. */
    Future<RedPacket.Creation> create(RedPacket.New packet, AdminStore.Audit audit);

    /** The packet with its opened shares, if it exists. */
    Future<Optional<RedPacket>> packet(String packetId);

    /**
     * Opens the next free share for the member, or answers the member's share when the member
     * opened it before (whether or not the packet has since emptied or closed).
     */
    Future<RedPacket.Opened> open(RedPacket.OpenRequest request, AdminStore.Audit audit);
}
