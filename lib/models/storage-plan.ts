// What the models need, by the wizard's storage situation (the guide's "Model Retraining Required (Only When
// Moving to S3)"): nothing when they are already on S3; the retrain checklist; or the copy, either as the
// Kubernetes Job (shown in full, downloadable, launched by the console with edit rights, else kubectl commands)
// or as an upload from a folder on the console's machine. Pure: the plan page, the download and the runs read it.
import type { EnvironmentSettings } from "@/lib/config/environment";
import {
  DEFAULT_COPY_JOB_NAME,
  modelCopyJob,
  modelCopyJobFileName,
  modelCopyJobYaml,
  modelCopyKubectlCommands,
  type CopyCommand,
  type ModelCopyJobInput,
} from "@/lib/k8s/copy-job";
import { chartModelClaimName } from "@/lib/k8s/model-volume";

export type ModelStorageSettings = Pick<
  EnvironmentSettings,
  | "name"
  | "region"
  | "namespace"
  | "bucketName"
  | "modelServiceAccount"
  | "storageSituation"
  | "clusterAccess"
  | "clusterEditRights"
  | "modelCopySource"
  | "modelFolder"
>;

/** One line of the retrain checklist; `id` is what the environment's tracking records. */
export interface ChecklistItem {
  id: string;
  text: string;
}

/** The guide's retrain path: what is unaffected, and what to do (ids are stable: ticks are kept by id). */
export const RETRAIN_CHECKLIST: readonly ChecklistItem[] = [
  { id: "unaffected", text: "Training data and assistant configurations are not affected: they stay in Studio's database." },
  { id: "list-assistants", text: "List the assistants that are active today: each needs one new model after the move." },
  { id: "schedule", text: "Schedule the time for retraining every active assistant (staging first, then production)." },
  { id: "helm-upgrade", text: "Run the Helm upgrade with the values that switch model storage to S3." },
  { id: "retrain", text: "Retrain each active assistant in Studio; the new models are stored in the bucket." },
  { id: "deploy", text: "Deploy each retrained assistant and check it answers." },
];

export type ModelStoragePlan =
  | { situation: "already-s3"; message: string }
  | { situation: "retrain"; message: string; checklist: readonly ChecklistItem[] }
  | {
      situation: "copy-from-pv";
      source: "cluster-job";
      message: string;
      job: { name: string; fileName: string; yaml: string; input: ModelCopyJobInput };
      /** The console runs it itself (cluster access with edit rights), else the admin runs these. */
      launchedByConsole: boolean;
      commands: CopyCommand[];
    }
  | { situation: "copy-from-pv"; source: "folder"; message: string; folder: string };

/**
 * The copy Job as planned from the settings: the claim the Rasa Pro subchart creates and its `models` folder
 * (lib/k8s/model-volume.ts). The model copy run reads the live deployment and corrects both when they differ.
 */
export function plannedCopyJobInput(s: ModelStorageSettings): ModelCopyJobInput {
  return {
    namespace: s.namespace,
    name: DEFAULT_COPY_JOB_NAME,
    serviceAccountName: s.modelServiceAccount,
    claimName: chartModelClaimName(s.namespace),
    modelsPathInClaim: "models",
    bucket: s.bucketName,
    region: s.region,
  };
}

export function modelStoragePlan(s: ModelStorageSettings): ModelStoragePlan {
  if (s.storageSituation === "already-s3")
    return { situation: "already-s3", message: "The models are already on S3: nothing needs moving, and nobody retrains." };
  if (s.storageSituation === "retrain")
    return {
      situation: "retrain",
      message: "The models on the volumes will not be visible after the move: every active assistant is retrained once.",
      checklist: RETRAIN_CHECKLIST,
    };
  if (s.modelCopySource === "folder")
    return {
      situation: "copy-from-pv",
      source: "folder",
      folder: s.modelFolder ?? "",
      message: `After the apply, a model upload run copies each model in ${s.modelFolder} to bucket ${s.bucketName} (multipart, SHA-256 checked, skipped when already there, resumed after an interruption).`,
    };
  const input = plannedCopyJobInput(s);
  const fileName = modelCopyJobFileName(s.name);
  const launchedByConsole = s.clusterAccess !== "none" && s.clusterEditRights;
  return {
    situation: "copy-from-pv",
    source: "cluster-job",
    message: launchedByConsole
      ? `After the apply and the Helm upgrade, a model copy run starts Job ${input.name} in namespace ${s.namespace} and follows it (files and bytes, from its log and the bucket).`
      : `Run Job ${input.name} in namespace ${s.namespace} with the commands below (the console has no edit rights in the namespace).`,
    job: { name: input.name!, fileName, yaml: modelCopyJobYaml(input), input },
    launchedByConsole,
    commands: modelCopyKubectlCommands(input, fileName),
  };
}

export { modelCopyJob };
