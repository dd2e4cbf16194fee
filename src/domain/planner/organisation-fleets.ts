import { fleetCostsByWorkload, fleetSummary, planFleets, withFleetCost, type FleetSettings, type FleetView, type OrganisationFleets, type SelfHostMove, type WorkloadFleetCost } from './fleets.js';
import { deploymentText, planWorkload } from './plan-workload.js';
import { planOrganisation } from './roadmap.js';
import { resolvePlannerSettings } from './settings.js';
import { num } from './values.js';
import type { CandidateOption, FleetRounds, OrganisationPlan, PlannerSettingsInput, RoadmapForecast, WorkloadFleet, WorkloadPlan, WorkloadWithOptions } from './types.js';

/*
 * Shared fleets inside the planner. Each workload is first planned stand-alone; the self-hosting ones (self_host or
 * pilot_self_host with a self_host candidate) are put on shared fleets (planFleets), their self_host option is re-priced
 * at their fleet share, and the plans are redone, until the set of self-hosting workloads stops changing.
 */

/** Most fleet rounds the planner runs before it stops (the plan says whether the set was stable). */
export const MAX_FLEET_ROUNDS = 3;

/** What the planner needs to put workloads on fleets: one move per (workload, self_host option model), and the org's fleet settings. */
export interface FleetInputs {
  moves: readonly SelfHostMove[];
  settings?: FleetSettings;
}

/** The plan with its fleets: `fleets` and `fleetRounds` always set, and `fleet` on every workload plan. */
export type OrganisationPlanWithFleets = Omit<OrganisationPlan, 'workloads' | 'fleets' | 'fleetRounds'> & {
  workloads: (WorkloadPlan & { fleet: WorkloadFleet | null })[];
  fleets: OrganisationFleets | null;
  fleetRounds: FleetRounds;
};

const selfHosts = (p: WorkloadPlan) => (p.recommendation === 'self_host' || p.recommendation === 'pilot_self_host') && p.candidate?.kind === 'self_host';
const baseOf = (m: SelfHostMove) => m.baseModelId ?? m.modelId;

function cheapestSelfHost(options: readonly CandidateOption[]): CandidateOption | null {
  let best: CandidateOption | null = null;
  for (const o of options) if (o.kind === 'self_host' && (best === null || o.monthlyCostUsd.lt(best.monthlyCostUsd))) best = o;
  return best;
}

/** "shares fleet <id> (2 replicas × 1× L4-24GB, 3 workloads)". */
export function fleetText(f: FleetView): string {
  const n = f.members.length;
  return `shares fleet ${f.id} (${f.replicas} ${f.replicas === 1 ? 'replica' : 'replicas'} × ${f.gpusPerReplica}× ${f.gpu}, ${n} workload${n === 1 ? '' : 's'})`;
}

/**
 * The organisation's plan with self-hosting priced on shared fleets (USD/month). Rule for joining a fleet: a workload
 * self-hosts stand-alone, or its cheapest stand-alone self_host option runs a base model that a fleet of the current
 * self-hosting set already serves, or that is also the cheapest self-host base model of another workload not yet
 * self-hosting (two workloads too small alone can seed a fleet together); each is re-priced at its fleet share (which replaces the option's stand-alone TCO,
 * people included, so the platform team is paid once per org) and re-planned. Candidates that still do not self-host
 * are not tried again. Stops when the self-hosting set equals the set the fleets were sized on, or after
 * MAX_FLEET_ROUNDS rounds; the final fleets are sized on the final self-hosting set.
 */
export function planOrganisationWithFleets(
  inputs: readonly WorkloadWithOptions[],
  settingsInput?: PlannerSettingsInput,
  forecast?: RoadmapForecast,
  fleetInputs?: FleetInputs,
): OrganisationPlanWithFleets {
  const settings = resolvePlannerSettings(settingsInput);
  const items = (Array.isArray(inputs) ? inputs : []).filter((i) => !!i && typeof i === 'object' && !!i.workload);
  const moves = Array.isArray(fleetInputs?.moves) ? fleetInputs!.moves.filter((m) => !!m && typeof m === 'object') : [];
  const moveFor = (workload: string, modelId: string | undefined) => moves.find((m) => m.workload === workload && m.modelId === modelId);

  const standalone = new Map(items.map((i) => [i.workload.slug, planWorkload(i.workload, i.options, settings)]));
  const plansWith = (shares: Map<string, WorkloadFleetCost>) =>
    new Map(items.map((i) => [i.workload.slug, shares.has(i.workload.slug) ? planWorkload(i.workload, withFleetCost(i.options, shares.get(i.workload.slug)), settings) : standalone.get(i.workload.slug)!]));
  /** The move each self-hosting plan uses. */
  const movesOf = (plans: Map<string, WorkloadPlan>) =>
    new Map([...plans].filter(([, p]) => selfHosts(p)).flatMap(([slug, p]) => { const m = moveFor(slug, p.candidate?.modelId); return m ? [[slug, m] as const] : []; }));

  let selfHosting = movesOf(standalone);
  const declined = new Set<string>();
  let rounds = 0;
  let stable = false;
  let fleets: OrganisationFleets | null = null;
  let shares = new Map<string, WorkloadFleetCost>();
  while (rounds < MAX_FLEET_ROUNDS) {
    // Candidates: not self-hosting, not declined before, and their cheapest self-host model's base is served by a fleet
    // of the current set, or is also the cheapest self-host base of another such workload (a pool that can seed a fleet).
    const best = new Map<string, SelfHostMove>();
    for (const i of items) {
      const slug = i.workload.slug;
      if (selfHosting.has(slug) || declined.has(slug)) continue;
      const o = cheapestSelfHost(i.options);
      const m = o ? moveFor(slug, o.modelId) : undefined;
      if (m) best.set(slug, m);
    }
    const served = new Set([...selfHosting.values()].map(baseOf));
    const pooled = new Map<string, number>();
    for (const m of best.values()) pooled.set(baseOf(m), (pooled.get(baseOf(m)) ?? 0) + 1);
    const onFleet = new Map(selfHosting);
    for (const [slug, m] of best) if (served.has(baseOf(m)) || (pooled.get(baseOf(m)) ?? 0) >= 2) onFleet.set(slug, m);
    if (onFleet.size === 0) {
      stable = true;
      break;
    }
    rounds++;
    fleets = planFleets([...onFleet.values()], fleetInputs?.settings);
    shares = fleetCostsByWorkload(fleets);
    const next = movesOf(plansWith(shares));
    for (const slug of onFleet.keys()) if (!selfHosting.has(slug) && !next.has(slug)) declined.add(slug);
    stable = next.size === onFleet.size && [...onFleet].every(([slug, m]) => next.get(slug) === m);
    selfHosting = next;
    if (stable) break;
  }
  if (!stable) {
    // Size the fleets shown on the final self-hosting set (a last pricing, no further re-planning).
    fleets = selfHosting.size > 0 ? planFleets([...selfHosting.values()], fleetInputs?.settings) : null;
    shares = fleets ? fleetCostsByWorkload(fleets) : new Map();
  }
  if (selfHosting.size === 0) {
    fleets = null;
    shares = new Map();
  }
  if (fleets && fleets.fleets.length === 0) fleets = null;
  const detail =
    rounds === 0
      ? 'no workload self-hosts: no shared fleet'
      : selfHosting.size === 0
        ? `fleets tried over ${rounds} round${rounds === 1 ? '' : 's'}: no workload self-hosts at its fleet share`
        : stable
        ? `fleets: the self-hosting set was stable after ${rounds} round${rounds === 1 ? '' : 's'}`
        : `fleets: stopped after ${MAX_FLEET_ROUNDS} rounds without a stable self-hosting set; the last round's set is priced on its fleets`;

  // The roadmap is built from the options as finally priced (fleet share for the self-hosting workloads).
  const finalInputs = items.map((i) => ({ workload: i.workload, options: shares.has(i.workload.slug) && selfHosting.has(i.workload.slug) ? withFleetCost(i.options, shares.get(i.workload.slug)) : i.options }));
  const org = planOrganisation(finalInputs, settings, forecast);
  const byId = new Map((fleets?.fleets ?? []).map((f) => [f.id, f]));
  const workloads = org.workloads.map((p) => {
    const share = selfHosting.has(p.workload) && selfHosts(p) ? shares.get(p.workload) : undefined;
    const f = share ? byId.get(share.fleetId) : undefined;
    if (!share || !f) return { ...p, fleet: null };
    const text = fleetText(f);
    const dep = p.candidate?.deployment ? deploymentText(p.candidate.deployment) : null;
    const clause = `this workload ${text}, ${num(share.loadShare * 100, 1)}% of its load`;
    const withText = (s: string) => (dep && s.includes(dep) ? `${s}; ${clause}` : s);
    const nextSteps = p.nextSteps.map(withText);
    return {
      ...p,
      nextSteps,
      nextStep: p.nextStep === null ? null : withText(p.nextStep),
      risks: p.risks.map(withText),
      fleet: { fleetId: f.id, loadShare: share.loadShare, monthlyCostUsd: share.monthlyCostUsd, standaloneMonthlyCostUsd: share.standaloneMonthlyCostUsd, text },
    };
  });
  const assumptions = [
    ...org.assumptions,
    ...(fleets
      ? [
          `Self-hosting is priced on shared fleets (one per base model and deployment, one spare each, the platform team once per org): ${fleets.fleets.map(fleetSummary).join('; ')}`,
          `A workload's self-host cost is its share of its fleet (by replica-demand), replacing the stand-alone cost and its full people cost; ${detail}`,
        ]
      : []),
  ];
  return {
    ...org,
    workloads,
    assumptions,
    fleets,
    fleetRounds: { rounds, stable, declined: [...declined].sort(), detail },
  };
}
