// The lab PBX's fixed default ports: everything is an offset from one base, so a second lab can run
// beside the first by moving the base (portBase 0 picks free ports for everything).

export const defaultPortBase = 5070;

export const portOffsets = {
  /** The control API (HTTP + JSON). */
  control: 0,
  /** TelServices gateway: raw one-shot TCP and HTTP on the same port. */
  telservices: 5,
} as const;

export function labPort(portBase: number, service: keyof typeof portOffsets): number {
  return portBase === 0 ? 0 : portBase + portOffsets[service];
}
