// Fault injection shared by the lab's front-ends: lost UDP datagrams, a refused or unanswered next request,
// garbage instead of the next frame. The PBX link itself is a core state (Pbx.setLinkUp).

export interface RequestFault {
  /** The request kind (wire name, e.g. "holdCall"), or "*" for any. */
  request: string;
  /** The error to answer (front-end vocabulary, e.g. "pbxReject", "pbxTimeout", "resourceError"). */
  error: string;
}

export class FaultPlan {
  /** Drop every UDP datagram. */
  udpDropAll = false;
  /** Drop datagrams to these ports only. */
  readonly udpDropPorts = new Set<number>();
  private readonly nextRequest: RequestFault[] = [];
  private garbageReplies = 0;
  private garbageEvents = 0;

  dropsUdpTo(port: number): boolean {
    return this.udpDropAll || this.udpDropPorts.has(port);
  }

  failNext(fault: RequestFault): void {
    this.nextRequest.push({ ...fault });
  }

  /** The fault planned for this request, consumed once. */
  takeRequestFault(request: string): RequestFault | undefined {
    const i = this.nextRequest.findIndex((f) => f.request === request || f.request === '*');
    if (i < 0) return undefined;
    return this.nextRequest.splice(i, 1)[0];
  }

  garbleNextReplies(count: number): void {
    this.garbageReplies += count;
  }

  garbleNextEvents(count: number): void {
    this.garbageEvents += count;
  }

  takeGarbageReply(): boolean {
    if (this.garbageReplies <= 0) return false;
    this.garbageReplies--;
    return true;
  }

  takeGarbageEvent(): boolean {
    if (this.garbageEvents <= 0) return false;
    this.garbageEvents--;
    return true;
  }

  clear(): void {
    this.udpDropAll = false;
    this.udpDropPorts.clear();
    this.nextRequest.length = 0;
    this.garbageReplies = 0;
    this.garbageEvents = 0;
  }

  describe(): { udpDropAll: boolean; udpDropPorts: number[]; next: RequestFault[]; garbageReplies: number; garbageEvents: number } {
    return {
      udpDropAll: this.udpDropAll,
      udpDropPorts: [...this.udpDropPorts],
      next: this.nextRequest.map((f) => ({ ...f })),
      garbageReplies: this.garbageReplies,
      garbageEvents: this.garbageEvents,
    };
  }
}
