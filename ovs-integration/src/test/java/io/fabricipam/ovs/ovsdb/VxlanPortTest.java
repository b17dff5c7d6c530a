package io.fabricipam.ovs.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The decisions of {@link VxlanPort} against a small fake of ovs-vsctl (the IT runs the real one). */
class VxlanPortTest {

    private final FakeVsctl ovs = new FakeVsctl();

    @Test
    void createsAFlowBasedPortWhenTheBridgeHasNone() throws Exception {
        VxlanPort.Ensured ensured = new VxlanPort(ovs, VxlanPort.Settings.DEFAULT).ensure("br-int");

        assertThat(ensured).isEqualTo(new VxlanPort.Ensured("vxlan-fabric", 1, true));
        assertThat(ovs.commands).contains("--may-exist add-port br-int vxlan-fabric -- set Interface vxlan-fabric type=vxlan "
                + "options:remote_ip=flow options:key=flow");
    }

    @Test
    void anotherUdpPortIsWrittenAndNamesAreConfigurable() throws Exception {
        VxlanPort.Ensured ensured = new VxlanPort(ovs, new VxlanPort.Settings("vx-dhcp", 4790)).ensure("br-int");

        assertThat(ensured.name()).isEqualTo("vx-dhcp");
        assertThat(ovs.interfaces.get("vx-dhcp").options).containsEntry("dst_port", "4790");
    }

    @Test
    void reusesItsOwnPortAndAnyOtherFlowBasedOneWithTheSameUdpPort() throws Exception {
        ovs.add("br-int", "vxlan-fabric", "vxlan", Map.of("remote_ip", "flow", "key", "flow"), 7);
        assertThat(new VxlanPort(ovs, VxlanPort.Settings.DEFAULT).ensure("br-int"))
                .isEqualTo(new VxlanPort.Ensured("vxlan-fabric", 7, false));

        FakeVsctl other = new FakeVsctl();
        other.add("br-int", "vx-fixed", "vxlan", Map.of("remote_ip", "192.0.2.9"), 3);
        other.add("br-int", "vx-ops", "vxlan", Map.of("remote_ip", "flow", "key", "flow", "dst_port", "4789"), 4);
        assertThat(new VxlanPort(other, VxlanPort.Settings.DEFAULT).ensure("br-int"))
                .isEqualTo(new VxlanPort.Ensured("vx-ops", 4, false));
        assertThat(other.commands).noneMatch(c -> c.contains("add-port"));
    }

    @Test
    void refusesAPortOfItsNameThatIsSomebodyElsesConfiguration() {
        ovs.add("br-int", "vxlan-fabric", "vxlan", Map.of("remote_ip", "192.0.2.9", "key", "flow"), 7);

        assertThatThrownBy(() -> new VxlanPort(ovs, VxlanPort.Settings.DEFAULT).ensure("br-int"))
                .isInstanceOf(VxlanPort.RefusedException.class)
                .hasMessage("interface vxlan-fabric exists but has a fixed remote_ip=192.0.2.9; fabric-ipam needs a VXLAN port "
                        + "with options:remote_ip=flow options:key=flow and UDP port 4789 on br-int: delete that interface or "
                        + "configure another tunnel port name");
        assertThat(ovs.commands).noneMatch(c -> c.contains("add-port") || c.contains(" set "));
    }

    @Test
    void refusesFixedKeysOtherUdpPortsOtherTypesAndOtherBridges() {
        assertThat(refusal("br-int", "vxlan", Map.of("remote_ip", "flow"))).contains("has a fixed key=0");
        assertThat(refusal("br-int", "vxlan", Map.of("remote_ip", "flow", "key", "flow", "dst_port", "8472")))
                .contains("uses UDP port 8472");
        assertThat(refusal("br-int", "geneve", Map.of("remote_ip", "flow", "key", "flow"))).contains("is of type \"geneve\"");
        assertThat(refusal("br-ex", "vxlan", Map.of("remote_ip", "flow", "key", "flow"))).contains("is not on bridge br-int");
    }

    @Test
    void anInterfaceOvsCouldNotMakeIsAnError() {
        ovs.failNextPort = "could not open network device vxlan-fabric (Address family not supported by protocol)";

        assertThatThrownBy(() -> new VxlanPort(ovs, VxlanPort.Settings.DEFAULT).ensure("br-int"))
                .isInstanceOf(IOException.class).hasMessageContaining("Address family not supported");
    }

    @Test
    void refusesNamesThatAreNoInterfaceNames() {
        assertThatThrownBy(() -> new VxlanPort.Settings("vxlan-fabric-too-long", 4789)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VxlanPort.Settings("vx lan", 4789)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VxlanPort.Settings("vx", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String refusal(String bridge, String type, Map<String, String> options) {
        FakeVsctl fake = new FakeVsctl();
        fake.add(bridge, "vxlan-fabric", type, options, 7);
        try {
            new VxlanPort(fake, VxlanPort.Settings.DEFAULT).ensure("br-int");
            return "(not refused)";
        } catch (VxlanPort.RefusedException e) {
            return e.getMessage();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Just the ovs-vsctl commands VxlanPort uses, over an in-memory Interface table. */
    private static final class FakeVsctl implements VxlanPort.Vsctl {

        record Interface(String bridge, String type, Map<String, String> options, long ofport, String error) {
        }

        final Map<String, Interface> interfaces = new LinkedHashMap<>();
        final List<String> commands = new ArrayList<>();
        String failNextPort;
        private int nextOfport = 1;

        void add(String bridge, String name, String type, Map<String, String> options, long ofport) {
            interfaces.put(name, new Interface(bridge, type, options, ofport, ""));
        }

        @Override
        public String run(List<String> args) throws IOException {
            commands.add(String.join(" ", args));
            if (args.get(0).equals("list-ifaces")) {
                return interfaces.entrySet().stream().filter(e -> e.getValue().bridge.equals(args.get(1)))
                        .map(e -> e.getKey() + "\n").collect(Collectors.joining());
            }
            if (args.contains("find")) {
                String[] condition = args.get(args.size() - 1).split("=", 2);
                String rows = interfaces.entrySet().stream()
                        .filter(e -> condition[0].equals("name") ? e.getKey().equals(condition[1]) : e.getValue().type.equals(condition[1]))
                        .map(e -> row(e.getKey(), e.getValue())).collect(Collectors.joining(","));
                return "{\"data\":[" + rows + "],\"headings\":[\"name\",\"type\",\"options\",\"ofport\",\"error\"]}";
            }
            if (args.contains("add-port")) {
                String bridge = args.get(2);
                String name = args.get(3);
                Map<String, String> options = new LinkedHashMap<>();
                String type = "";
                for (String a : args.subList(4, args.size())) {
                    if (a.startsWith("options:")) {
                        String[] kv = a.substring("options:".length()).split("=", 2);
                        options.put(kv[0], kv[1]);
                    } else if (a.startsWith("type=")) {
                        type = a.substring("type=".length());
                    }
                }
                interfaces.put(name, failNextPort == null
                        ? new Interface(bridge, type, options, nextOfport++, "")
                        : new Interface(bridge, type, options, -1, failNextPort));
                return "";
            }
            throw new IOException("unexpected command " + args);
        }

        private static String row(String name, Interface i) {
            String options = i.options.entrySet().stream().map(e -> "[\"" + e.getKey() + "\",\"" + e.getValue() + "\"]")
                    .collect(Collectors.joining(","));
            String error = i.error.isEmpty() ? "[\"set\",[]]" : "\"" + i.error + "\"";
            return "[\"" + name + "\",\"" + i.type + "\",[\"map\",[" + options + "]]," + i.ofport + "," + error + "]";
        }
    }
}
