package io.fabricipam.fabric.storage.disk;

/**
 * One result of the semantic checks: a field of {@link DiskDescription} and what is wrong or
 * notable about it. An ERROR means no XML is produced.
 */
public record DiskFinding(Severity severity, String field, String message) {

    public enum Severity { ERROR, WARNING, INFO }

    static DiskFinding error(String field, String message) {
        return new DiskFinding(Severity.ERROR, field, message);
    }

    static DiskFinding warning(String field, String message) {
        return new DiskFinding(Severity.WARNING, field, message);
    }

    static DiskFinding info(String field, String message) {
        return new DiskFinding(Severity.INFO, field, message);
    }
}
