package io.fabricipam.fabric.storage.iscsi;

import java.io.IOException;

/** Bytes that cannot be an iSCSI PDU of the expected kind: bad lengths, broken text, a field out of range. */
public class IscsiProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public IscsiProtocolException(String message) {
        super(message);
    }
}
