// The lab PBX's fixed default ports: everything is an offset from one base, so a second lab can run
// beside the first by moving the base (portBase 0 picks free ports for everything).

export const defaultPortBase = 5070;

export const portOffsets = {
  /** The control API (HTTP + JSON). */
  control: 0,
  /** TelServices gateway: raw one-shot TCP and HTTP on the same port. */
  telservices: 5,
  /** O2G primary server: HTTPS REST API and the /OTEvents chunk channel on one port. */
  o2g: 10,
  /** O2G secondary server of the HA pair. */
  o2gSecondary: 11,
  /** O2G plain HTTP (only when the front-end's plainHttp option is on): primary, secondary. */
  o2gHttp: 12,
  o2gHttpSecondary: 13,
  /** TWS web services over HTTP (the manual's 9001) and HTTPS (9011). */
  twsHttp: 14,
  twsHttps: 15,
  /** TWS per-user TCP event socket (9004). */
  twsTcp: 16,
  /** TWS WebSocket (9003) and secure WebSocket (9013) event feeds. */
  twsWs: 17,
  twsWss: 18,
  /** InstantVoice IVWS, the SOAP web service (the guide's default 7789 is what a real site uses). The STOMP broker
   *  is not a lab port: a private RabbitMQ takes a free one, or the lab attaches to the given broker. */
  ivws: 19,
  /** CTIPS (Aspect CTI Portal) request service, SOAP over HTTP: portal A and portal B of the Active/Active pair
   *  (the digest's 8700 and 8701 are what a real site would configure). */
  ctips: 20,
  ctipsB: 21,
} as const;

export function labPort(portBase: number, service: keyof typeof portOffsets): number {
  return portBase === 0 ? 0 : portBase + portOffsets[service];
}
