package io.kassa.engine.server.admin;

/** What an admin API key may do (docs/adr/0007-operations-and-admin.md). */
public enum ApiRole {
    /** Chain headquarters: everything, every store. */
    HQ_ADMIN,
    /** A store manager: reads and changes members, orders and terminals of their stores only. */
    STORE_MANAGER,
    /** Operations: reads everything, changes nothing. */
    OPS_READ
}
