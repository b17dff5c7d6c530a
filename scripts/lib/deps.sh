# Shared by scripts/demo, scripts/test and scripts/bench: install what is missing, once.
# Debian 12 packages; services do not auto-start here, the scripts start what they need themselves.

FABRIC_PACKAGES=(
  openjdk-17-jdk-headless maven
  iproute2 iputils-ping ethtool tcpdump netcat-openbsd curl jq socat
  openvswitch-switch mininet
  udhcpc isc-dhcp-client dhcpcd-base dnsmasq-base
  kea-dhcp4-server kea-admin
  tgt libiscsi-bin qemu-utils qemu-block-extra
  libvirt-clients libxml2-utils
  postgresql
)

fabric_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "this needs root (network namespaces, port 67, Open vSwitch): run it with sudo" >&2
    exit 1
  fi
}

fabric_missing_packages() {
  local p
  for p in "${FABRIC_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

fabric_ensure_packages() {
  local missing
  missing=$(fabric_missing_packages | tr '\n' ' ')
  if [ -n "${missing// /}" ]; then
    echo "installing: $missing"
    apt-get update -qq
    # policy-rc.d on these machines keeps services from starting on install; nothing else is changed
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

# The jar the README documents; built when missing or older than the sources.
fabric_jar() {
  local top="$1"
  local jar="$top/controller/target/fabric-ipam.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$top" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ] \
      || [ "$top/pom.xml" -nt "$jar" ]; then
    echo "building $jar" >&2
    (cd "$top" && mvn -q -B -ntp -DskipTests package) >&2
  fi
  echo "$jar"
}
