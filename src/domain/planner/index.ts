/** Migration planner: which workloads stay closed and which move to open models, with every gate explained. */
export * from './types.js';
export { DEFAULT_PLANNER_SETTINGS, MAX_APPROVED_PROCESSORS, plannerSettingsIssues, resolvePlannerSettings } from './settings.js';
export {
  findProvider,
  providerDisplayName,
  providerKey,
  providerRegionsFor,
  readProviderRegions,
  regionSatisfies,
  sameProvider,
  type ProviderRegionEntry,
  type ProviderRegionSource,
  type ProviderRegionTable,
} from './providers.js';
export { residencyOf } from './context.js';
export { crossoverPoint } from './gates.js';
export { QUALITY_TIERS, eligibleTierBand, isTaskCategory, tierRank, tierWithin, type TierBand } from './tiers.js';
export { assessEvidence, checkMetric, pickEvaluation } from './evaluation.js';
export {
  assessOption,
  confidenceFor,
  deploymentText,
  gpusPerReplica,
  holdPilotsBehindCheaper,
  planWorkload,
  rankOptions,
  readinessLevel,
  workloadContext,
  type OptionAssessment,
  type WorkloadContext,
} from './plan-workload.js';
export {
  CONFIDENCE_WEIGHT,
  DEFAULT_PHASE1_MONTH,
  DEFAULT_PHASE2_MONTH,
  HORIZON_MONTHS,
  READINESS_WEIGHT,
  monthFactor,
  phaseOf,
  phaseWorkload,
  planOrganisation,
} from './roadmap.js';
export { diffPlans, topActions } from './diff.js';
export { fleetCostsByWorkload, fleetSummary, planFleets, withFleetCost, type FleetSettings, type FleetView, type OrganisationFleets, type SelfHostMove, type WorkloadFleetCost } from './fleets.js';
export { MAX_FLEET_ROUNDS, fleetText, planOrganisationWithFleets, type FleetInputs, type OrganisationPlanWithFleets } from './organisation-fleets.js';
