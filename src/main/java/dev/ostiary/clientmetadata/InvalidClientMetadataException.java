package dev.ostiary.clientmetadata;

/** Why a client id URL or the document behind it is refused; the message goes to the audit trail, not to the client. */
class InvalidClientMetadataException extends Exception {

    InvalidClientMetadataException(String reason) {
        super(reason, null, false, false);
    }
}
