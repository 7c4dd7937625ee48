// The local cloud in one call: a fake tenant, Entra ID (HTTPS), Microsoft Graph, Azure SignalR Service, the
// presence simulator and the control API, each on its own port. Tests start it in-process on free ports.
import { ControlApi } from './control.js';
import { EntraIdEmulator } from './entra/entra-id.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, type ClientApp } from './entra/clients.js';
import { GraphEmulator } from './graph/graph.js';
import type { DeliveryOptions } from './graph/subscriptions.js';
import type { Budget } from './graph/throttle.js';
import { Clock } from './shared/clock.js';
import { FaultInjector } from './shared/faults.js';
import { makeServerCertificate } from './shared/tls.js';
import { SignalRServiceEmulator } from './signalr/signalr-service.js';
import { Simulator } from './tenant/simulator.js';
import { Tenant, type TenantOptions } from './tenant/tenant.js';

export interface EmulatorOptions {
  host?: string;
  ports?: { entra?: number; graph?: number; signalr?: number; control?: number };
  tenant?: TenantOptions;
  /** User id or UPN signed in by Entra without asking; default the first user. `null`: show the account picker. */
  signInAs?: string | null;
  clients?: ClientApp[];
  /** Presence changes per second made by the simulator (0: none). Default 2. */
  simulatorRate?: number;
  presenceBudget?: Budget;
  delivery?: DeliveryOptions;
  signalrAccessKey?: string;
  tokenLifetimeSeconds?: number;
  /** Scopes each user must consent to interactively before silent requests get them (see the Entra ID emulator). */
  consentRequired?: string[];
}

export interface Emulators {
  tenant: Tenant;
  entra: EntraIdEmulator;
  graph: GraphEmulator;
  signalr: SignalRServiceEmulator;
  simulator: Simulator;
  faults: FaultInjector;
  control: ControlApi;
  /** Base URLs and settings, as the CLI prints them and `/status` returns them. */
  describe(): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const tenant = new Tenant(options.tenant);
  const faults = new FaultInjector();
  const tls = await makeServerCertificate();
  // One clock for the whole local cloud: moving it (POST /clock/advance) ages tokens, refresh tokens and subscriptions alike.
  const clock = new Clock();
  const entra = new EntraIdEmulator({
    clock,
    tenant,
    host,
    port: options.ports?.entra ?? 0,
    tls,
    faults,
    signInAs: options.signInAs === null ? undefined : (options.signInAs ?? tenant.users[0]!.id),
    ...(options.clients ? { clients: options.clients } : {}),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    ...(options.consentRequired ? { consentRequired: options.consentRequired } : {}),
  });
  await entra.start();
  const graph = new GraphEmulator({
    tenant,
    host,
    port: options.ports?.graph ?? 0,
    faults,
    clock,
    verifyToken: (token) =>
      entra.verifyAccessToken(token, { audience: [GRAPH_RESOURCE, GRAPH_APP_ID], allowAppTokens: true }),
    issueValidationToken: (appId) => entra.issueGraphValidationToken(appId),
    ...(options.presenceBudget ? { presenceBudget: options.presenceBudget } : {}),
    ...(options.delivery ? { delivery: options.delivery } : {}),
  });
  await graph.start();
  const signalr = new SignalRServiceEmulator({
    host,
    port: options.ports?.signalr ?? 0,
    faults,
    ...(options.signalrAccessKey ? { accessKey: options.signalrAccessKey } : {}),
  });
  await signalr.start();
  const simulator = new Simulator(tenant, { rate: options.simulatorRate ?? 2 });
  simulator.start();

  const describe = () => ({
    entra: {
      url: entra.url,
      authority: entra.authority,
      issuer: entra.issuer,
      v1Issuer: entra.v1Issuer,
      knownAuthority: entra.host,
      signInAs: entra.signInAs ?? null,
      consentRequired: entra.scopesRequiringConsent,
      clients: [...entra.clients.values()].map((c) => ({ clientId: c.clientId, name: c.name, type: c.type })),
    },
    graph: { url: graph.url, baseUrl: `${graph.url}/v1.0`, presenceBudget: graph.throttle.budget },
    signalr: { url: signalr.url, connectionString: signalr.connectionString },
    control: { url: control.url },
    tenant: {
      id: tenant.id,
      domain: tenant.domain,
      users: tenant.users.length,
      teams: tenant.teams.map((t) => ({ id: t.id, displayName: t.displayName, members: t.memberIds.length })),
      demoUsers: tenant.users
        .slice(0, 18)
        .map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName })),
    },
    simulator: simulator.status,
    clock: { offsetSeconds: clock.offset / 1000 },
  });
  const control = new ControlApi(
    { tenant, entra, graph, signalr, simulator, faults, describe },
    { host, port: options.ports?.control ?? 0 },
  );
  await control.start();

  return {
    tenant,
    entra,
    graph,
    signalr,
    simulator,
    faults,
    control,
    describe,
    async stop() {
      simulator.stop();
      await Promise.all([control.stop(), signalr.stop(), graph.stop(), entra.stop()]);
    },
  };
}
