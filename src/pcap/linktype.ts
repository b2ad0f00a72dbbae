// Link-layer header types: LINKTYPE_* numbers as savefiles carry them, with the names and
// descriptions libpcap prints (pcap_datalink_val_to_name / _to_description), and the -y names.

export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  SLIP: 8,
  PPP: 9,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIO: 127,
  IPV4: 228,
  IPV6: 229,
  DBUS: 231,
  LINUX_SLL2: 276,
} as const;

interface Entry {
  value: number;
  name: string;
  description: string;
}

const TABLE: Entry[] = [
  { value: 0, name: 'NULL', description: 'BSD loopback' },
  { value: 1, name: 'EN10MB', description: 'Ethernet' },
  { value: 6, name: 'IEEE802', description: 'Token ring' },
  { value: 7, name: 'ARCNET', description: 'BSD ARCNET' },
  { value: 8, name: 'SLIP', description: 'SLIP' },
  { value: 9, name: 'PPP', description: 'PPP' },
  { value: 10, name: 'FDDI', description: 'FDDI' },
  { value: 50, name: 'PPP_SERIAL', description: 'PPP over serial' },
  { value: 51, name: 'PPP_ETHER', description: 'PPPoE' },
  { value: 100, name: 'ATM_RFC1483', description: 'RFC 1483 LLC-encapsulated ATM' },
  { value: 101, name: 'RAW', description: 'Raw IP' },
  { value: 104, name: 'C_HDLC', description: 'Cisco HDLC' },
  { value: 105, name: 'IEEE802_11', description: '802.11' },
  { value: 107, name: 'FRELAY', description: 'Frame Relay' },
  { value: 108, name: 'LOOP', description: 'OpenBSD loopback' },
  { value: 113, name: 'LINUX_SLL', description: 'Linux cooked v1' },
  { value: 114, name: 'LTALK', description: 'Localtalk' },
  { value: 117, name: 'PFLOG', description: 'OpenBSD pflog file' },
  { value: 119, name: 'PRISM_HEADER', description: '802.11 plus Prism header' },
  { value: 122, name: 'IP_OVER_FC', description: 'RFC 2625 IP-over-Fibre Channel' },
  { value: 127, name: 'IEEE802_11_RADIO', description: '802.11 plus radiotap header' },
  { value: 143, name: 'DOCSIS', description: 'DOCSIS' },
  { value: 163, name: 'IEEE802_11_RADIO_AVS', description: '802.11 plus AVS radio information header' },
  { value: 192, name: 'PPI', description: 'Per-Packet Information' },
  { value: 195, name: 'IEEE802_15_4_WITHFCS', description: 'IEEE 802.15.4 with FCS' },
  {
    value: 201,
    name: 'BLUETOOTH_HCI_H4_WITH_PHDR',
    description: 'Bluetooth HCI UART transport layer plus pseudo-header',
  },
  { value: 204, name: 'PPP_WITH_DIR', description: 'PPP with Directional Info' },
  { value: 209, name: 'IPMB_LINUX', description: 'IPMB with Linux/Pigeon Point pseudo-header' },
  { value: 215, name: 'IEEE802_15_4_NONASK_PHY', description: 'IEEE 802.15.4 with non-ASK PHY data' },
  { value: 220, name: 'USB_LINUX_MMAPPED', description: 'USB with padded Linux header' },
  { value: 227, name: 'CAN_SOCKETCAN', description: 'CAN-bus with SocketCAN headers' },
  { value: 228, name: 'IPV4', description: 'Raw IPv4' },
  { value: 229, name: 'IPV6', description: 'Raw IPv6' },
  { value: 231, name: 'DBUS', description: 'D-Bus' },
  { value: 235, name: 'DVB_CI', description: 'DVB-CI' },
  { value: 239, name: 'NFLOG', description: 'Linux netfilter log messages' },
  { value: 240, name: 'NETANALYZER', description: 'Ethernet with Hilscher netANALYZER pseudo-header' },
  { value: 247, name: 'IPOIB', description: 'RFC 4391 IP-over-Infiniband' },
  { value: 248, name: 'SCTP', description: 'SCTP' },
  { value: 249, name: 'USBPCAP', description: 'USB with USBPcap header' },
  { value: 252, name: 'WIRESHARK_UPPER_PDU', description: 'Wireshark Upper PDU export' },
  { value: 254, name: 'NETLINK', description: 'Linux netlink' },
  { value: 263, name: 'VSOCK', description: 'Linux vsock' },
  { value: 264, name: 'NORDIC_BLE', description: 'Nordic Semiconductor Bluetooth LE sniffer frames' },
  { value: 265, name: 'DOCSIS31_XRA31', description: 'Excentis XRA-31 DOCSIS 3.1 RF sniffer frames' },
  { value: 266, name: 'ETHERNET_MPACKET', description: '802.3br mPackets' },
  { value: 268, name: 'DISPLAYPORT_AUX', description: 'DisplayPort AUX channel monitoring data' },
  { value: 276, name: 'LINUX_SLL2', description: 'Linux cooked v2' },
];

const BY_VALUE = new Map<number, Entry>(TABLE.map((e) => [e.value, e]));
const BY_NAME = new Map<string, Entry>(TABLE.map((e) => [e.name, e]));
// DLT_USER0..15 are LINKTYPE 147..162.
for (let i = 0; i < 16; i++) {
  const e = { value: 147 + i, name: `USER${i}`, description: `User ${i}` };
  BY_VALUE.set(e.value, e);
  BY_NAME.set(e.name, e);
}

/** The banner's "EN10MB (Ethernet)"; a number for link types libpcap has no name for. */
export function linktypeBanner(value: number): string {
  const e = BY_VALUE.get(value);
  return e === undefined ? `${value}` : `${e.name} (${e.description})`;
}

export function linktypeName(value: number): string | undefined {
  return BY_VALUE.get(value)?.name;
}

/** -y NAME (case-insensitive, with or without DLT_), or a number; undefined when unknown. */
export function linktypeByName(name: string): number | undefined {
  const n = name.toUpperCase().replace(/^DLT_/, '');
  const e = BY_NAME.get(n);
  if (e !== undefined) return e.value;
  if (/^\d+$/.test(n)) return Number(n);
  return undefined;
}

/**
 * libpcap's max_snaplen_for_dlt: the largest record it accepts for a link type (D-Bus messages,
 * EBHSCR and USBPcap frames can be longer than the usual 262144).
 */
export function maxSnaplenForLinktype(linktype: number): number {
  switch (linktype) {
    case 231: // DBUS
      return 128 * 1024 * 1024;
    case 279: // EBHSCR
      return 8 * 1024 * 1024;
    case 249: // USBPCAP
      return 1024 * 1024;
    default:
      return 262144;
  }
}
