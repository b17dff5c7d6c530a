package io.fabricipam.fabric.storage.disk;

import java.util.List;

/**
 * The answer of {@code POST /api/v1/storage/disks/xml}.
 *
 * @param disk        the {@code <disk>} element; null when a finding is an ERROR
 * @param controller  the {@code <controller>} element the disk needs (virtio-scsi, SATA, IDE); null for virtio-blk or on error
 * @param attachment  the decisions behind the XML; null on error
 * @param findings    semantic check results, errors first
 */
public record DiskXml(String disk, String controller, DiskAttachment attachment, List<DiskFinding> findings) {

    public DiskXml {
        findings = List.copyOf(findings);
    }

    public boolean valid() {
        return findings.stream().noneMatch(f -> f.severity() == DiskFinding.Severity.ERROR);
    }
}
