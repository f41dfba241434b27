/** The Debian peers the tests drive, where Debian installs them, and the package that brings each. */
export const PEER_BINARIES = {
  kamailio: process.env['KAMAILIO_BIN'] || '/usr/sbin/kamailio',
  sipp: '/usr/bin/sipp',
  baresip: '/usr/bin/baresip',
  chromium: process.env['CHROME_PATH'] || '/usr/bin/chromium',
  openssl: '/usr/bin/openssl',
  linphonec: '/usr/bin/linphonec',
  svmap: '/usr/bin/svmap',
  tshark: '/usr/bin/tshark',
  rtpengine: '/usr/bin/rtpengine',
} as const;

export type PeerName = keyof typeof PEER_BINARIES;

export const PEER_PACKAGES: Readonly<Record<PeerName, string>> = {
  kamailio: 'kamailio (with kamailio-tls-modules, kamailio-presence-modules, kamailio-xml-modules)',
  sipp: 'sip-tester',
  baresip: 'baresip-core',
  chromium: 'chromium (or set CHROME_PATH to a Chrome/Chromium)',
  openssl: 'openssl',
  linphonec: 'linphone-cli',
  svmap: 'sipvicious',
  tshark: 'tshark',
  rtpengine: 'rtpengine-daemon (userspace forwarding; no kernel module needed)',
};
