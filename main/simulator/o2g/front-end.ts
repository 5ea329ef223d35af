// The lab's O2G front-end: one certificate, the shared O2G services over the PBX core, and the HA pair of
// servers (primary, and secondary unless disabled), plus what the control API needs (FrontEndControl).
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../core/log.js';
import type { FrontEndControl } from '../control-api.js';
import type { Pbx } from '../pbx/pbx.js';
import { certificateNames, labCertificate, writeCertificateFile, type LabCertificate } from '../certificate.js';
import type { O2gConfig } from './config.js';
import { DirectoryService } from './directory.js';
import { o2gControlRoutes } from './faults.js';
import { O2gServer, type Role } from './server.js';
import { O2gService } from './service.js';
import type { HaInfo } from './system.js';
import { TelephonyService } from './telephony.js';
import { usersRoutes } from './users.js';

export interface O2gFrontEndOptions {
  host: string;
  /** HTTPS ports of the primary and secondary servers; plain HTTP ports when config.plainHttp (0 = free ports). */
  ports: { primary: number; secondary: number; httpPrimary: number; httpSecondary: number };
  config?: Partial<O2gConfig>;
  log: Logger;
}

export class O2gFrontEnd {
  readonly service: O2gService;
  readonly primary: O2gServer;
  readonly secondary: O2gServer | undefined;
  private readonly directory: DirectoryService;

  private constructor(
    pbx: Pbx,
    opts: O2gFrontEndOptions,
    readonly certificate: LabCertificate,
    /** The PEM file a client can trust (CA file, NODE_EXTRA_CA_CERTS). */
    readonly certificateFile: string,
    private readonly ownsCertificateDir: boolean,
  ) {
    this.service = new O2gService(pbx, opts.config ?? {}, opts.log);
    const svc = this.service;
    this.directory = new DirectoryService(svc, pbx.clock);
    const routes = [
      ...new TelephonyService(svc).routes(),
      ...svc.acd.routes(),
      ...svc.routing.routes(),
      ...svc.comlog.routes(),
      ...this.directory.routes(),
      ...usersRoutes({
        users: svc.users,
        nodeId: svc.config.nodeId,
        emitUserInfo: (user) => svc.emit({ eventName: 'OnUserInfoChanged', loginName: user.loginName, user: svc.users.userResource(user, true, svc.config.nodeId) }),
      }),
    ];
    const ha = (): HaInfo => ({
      ha: this.secondary !== undefined,
      primary: this.primary.info(),
      ...(this.secondary ? { secondary: this.secondary.info() } : {}),
    });
    const make = (role: Role, port: number, httpPort: number) =>
      new O2gServer({
        role,
        host: opts.host,
        port,
        ...(svc.config.plainHttp ? { httpPort } : {}),
        cert: certificate,
        svc,
        directory: this.directory,
        routes,
        ha,
        log: opts.log.child({ role }),
      });
    this.primary = make('primary', opts.ports.primary, opts.ports.httpPrimary);
    this.secondary = svc.config.secondary ? make('secondary', opts.ports.secondary, opts.ports.httpSecondary) : undefined;
  }

  /** Generate (or reuse) the certificate, write its PEM, start the server(s). */
  static async start(pbx: Pbx, opts: O2gFrontEndOptions): Promise<O2gFrontEnd> {
    const certificate = await labCertificate(certificateNames(opts.host));
    const dir = opts.config?.certificateDir ?? null;
    const file = await writeCertificateFile(certificate, dir);
    const fe = new O2gFrontEnd(pbx, opts, certificate, file, dir === null);
    try {
      for (const s of fe.servers()) await s.start();
    } catch (err) {
      await fe.stop();
      throw err;
    }
    return fe;
  }

  servers(): O2gServer[] {
    return this.secondary ? [this.primary, this.secondary] : [this.primary];
  }

  server(role: Role): O2gServer | undefined {
    return role === 'primary' ? this.primary : this.secondary;
  }

  async stop(): Promise<void> {
    for (const s of this.servers()) await s.dispose();
    this.service.dispose();
    this.directory.clear();
    if (this.ownsCertificateDir) await rm(dirname(this.certificateFile), { recursive: true, force: true }).catch(() => undefined);
  }

  describe(): Record<string, unknown> {
    return {
      certificate: { file: this.certificateFile, sha256: this.certificate.sha256, altNames: this.certificate.altNames },
      servers: this.servers().map((s) => ({
        role: s.role,
        host: s.host,
        port: s.port,
        ...(s.httpPort !== undefined ? { httpPort: s.httpPort } : {}),
        running: s.isRunning,
        stalled: s.isStalled,
        sessions: s.sessions.all().map((x) => ({ loginName: x.user.loginName, admin: x.admin, applicationName: x.applicationName })),
        subscriptions: s.subscriptions.all().map((x) => ({ subscriptionId: x.id, loginName: x.session.user.loginName, open: x.channel.isOpen, queued: x.channel.queued, timeout: x.timeoutMin })),
      })),
      link: this.service.pbx.linkUp ? 'up' : 'down',
    };
  }

  /** The control API's view of this front-end. */
  control(): FrontEndControl {
    return {
      vendor: 'o2g',
      dropClients: () => this.servers().reduce((n, s) => n + s.dropConnections(true), 0),
      adminClose: (device) => {
        let closed = false;
        for (const s of this.servers()) {
          for (const session of s.sessions.all()) {
            if (session.user.cfg.devices.some((d) => d.id === device)) {
              s.sessions.close(session, 'closed');
              closed = true;
            }
          }
        }
        return closed;
      },
      reset: () => {
        this.service.reset();
        this.directory.clear();
        for (const s of this.servers()) s.sessions.clear('dropped');
      },
      routes: o2gControlRoutes(this),
    };
  }
}
