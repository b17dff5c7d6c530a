package io.fabricipam.fabric.storage.disk;

import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes a {@link DiskAttachment} as libvirt domain XML elements. Built as a DOM so that paths
 * and names with quotes, ampersands or angle brackets come out escaped, never as markup.
 * Attribute order is the DOM's (alphabetical), so the text is deterministic.
 */
public final class LibvirtDiskXml {

    /** @throws IllegalArgumentException if the source or portal holds a character XML 1.0 cannot carry */
    public String disk(DiskAttachment a) {
        for (String text : new String[] {a.source(), a.portal()}) {
            String unfit = text == null ? null : DiskAttachmentPolicy.unfitCharacter(text);
            if (unfit != null) { // the policy refuses these first; never write XML that is not well-formed
                throw new IllegalArgumentException("disk source " + unfit);
            }
        }
        Document doc = newDocument();
        Element disk = doc.createElement("disk");
        String type = switch (a.sourceType()) {
            case FILE, NFS -> "file";
            case BLOCK, FC -> "block";
            case ISCSI_NETWORK -> "network";
        };
        disk.setAttribute("type", type);
        disk.setAttribute("device", "disk");
        Element driver = child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", a.format().libvirtName());
        driver.setAttribute("cache", a.cache().libvirtName());
        if (a.io() != null) {
            driver.setAttribute("io", a.io().libvirtName());
        }
        if (a.bus() == DiskBus.VIRTIO_BLK && a.queues() != null) {
            driver.setAttribute("queues", Integer.toString(a.queues()));
        }
        Element source = child(disk, "source");
        switch (a.sourceType()) {
            case FILE, NFS -> source.setAttribute("file", a.source());
            case BLOCK, FC -> source.setAttribute("dev", a.source());
            case ISCSI_NETWORK -> {
                source.setAttribute("protocol", "iscsi");
                source.setAttribute("name", a.source());
                Element host = child(source, "host");
                int colon = a.portal().lastIndexOf(':');
                String hostName = a.portal().substring(0, colon);
                host.setAttribute("name", hostName.startsWith("[") ? hostName.substring(1, hostName.length() - 1) : hostName);
                host.setAttribute("port", a.portal().substring(colon + 1));
            }
        }
        Element target = child(disk, "target");
        target.setAttribute("dev", a.targetDev());
        target.setAttribute("bus", a.bus().libvirtBus());
        if (a.bus() != DiskBus.VIRTIO_BLK) {
            // Drive addresses pin the disk to controller 0 at a stable unit across restarts.
            Element address = child(disk, "address");
            address.setAttribute("type", "drive");
            address.setAttribute("controller", "0");
            address.setAttribute("bus", Integer.toString(a.bus() == DiskBus.IDE ? a.unit() / 2 : 0));
            address.setAttribute("target", "0");
            address.setAttribute("unit", Integer.toString(a.bus() == DiskBus.IDE ? a.unit() % 2 : a.unit()));
        }
        doc.appendChild(disk);
        return write(doc);
    }

    /** The controller the disk's bus needs, or null (virtio-blk disks are PCI devices of their own). */
    public String controller(DiskAttachment a) {
        if (a.bus() == DiskBus.VIRTIO_BLK) {
            return null;
        }
        Document doc = newDocument();
        Element controller = doc.createElement("controller");
        controller.setAttribute("type", a.bus() == DiskBus.IDE ? "ide" : a.bus() == DiskBus.SATA ? "sata" : "scsi");
        controller.setAttribute("index", "0");
        if (a.bus() == DiskBus.VIRTIO_SCSI) {
            controller.setAttribute("model", "virtio-scsi");
            if (a.queues() != null) {
                child(controller, "driver").setAttribute("queues", Integer.toString(a.queues()));
            }
        }
        doc.appendChild(controller);
        return write(doc);
    }

    /** A minimal domain around the elements, for {@code virt-xml-validate} and for reading them in context. */
    public static String domain(DiskXml xml, int vcpus) {
        StringBuilder s = new StringBuilder("<domain type='kvm'>\n  <name>disk-policy-check</name>\n")
                .append("  <memory unit='MiB'>512</memory>\n  <vcpu>").append(Math.max(1, vcpus)).append("</vcpu>\n")
                .append("  <os>\n    <type arch='x86_64'>hvm</type>\n  </os>\n  <devices>\n");
        if (xml.controller() != null) {
            s.append(indent(xml.controller()));
        }
        if (xml.disk() != null) {
            s.append(indent(xml.disk()));
        }
        return s.append("  </devices>\n</domain>\n").toString();
    }

    private static String indent(String element) {
        StringBuilder s = new StringBuilder();
        element.lines().forEach(line -> s.append("    ").append(line).append('\n'));
        return s.toString();
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Document newDocument() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is not configured", e);
        }
    }

    private static String write(Document doc) {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString().strip() + "\n";
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialise disk XML", e);
        }
    }
}
