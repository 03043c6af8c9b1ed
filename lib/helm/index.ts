// The Helm values library (guide step 4): render values.yaml for an environment, merge it into an existing
// one with a line diff (correcting or refusing values that would defeat the upgrade), detect the chart layout of
// pasted values, the rollback values, and the commands to run afterwards. Pure functions: no AWS, no database, no
// secrets.
export { ROLE_ARN_ANNOTATION, type RoleArns, type ValuesSettings } from "./apply-values";
export {
  CHART_VERSION_PLACEHOLDER,
  helmCommands,
  STUDIO_CHART_REFERENCE,
  studioFullname,
  valuesFileName,
  mergedValuesFileName,
  type HelmCommand,
} from "./commands";
export { detectChartProfile, profileForChartVersion, type ProfileDetection } from "./detect";
export { ValuesLimitError, ValuesRefusedError, ValuesYamlError } from "./errors";
export {
  checkValuesSize,
  DIFF_LIMITS,
  lineDiff,
  MAX_VALUES_BYTES,
  MAX_VALUES_LINES,
  mergeValues,
  type DiffLine,
  type MergeResult,
} from "./merge";
export {
  CHART_PROFILE_CHOICES,
  CHART_PROFILE_INFO,
  profileFor,
  roleServiceAccounts,
  SERVICE_ACCOUNTS,
  valuePathsFor,
  type ChartLayout,
  type ChartProfileInfo,
  type EnvEntry,
  type ValuePaths,
} from "./profiles";
export { buildValuesDocument, renderValues, YAML_FORMAT } from "./render";
export { mergeRollbackValues, renderRollbackValues, type RollbackSettings } from "./rollback";
export { describeCorrections, valuesContextFrom, type ValuesContext, type ValuesCorrection } from "./safeguards";
