// Where the model service keeps its models today, read from its deployment, and where they must land in S3.
//
// Sources read:
// - RasaHQ/rasa-helm-charts, Rasa Pro subchart tags rasa-1.2.0 … rasa-2.4.0 (Studio 2.6.0 pins rasa 2.3.0),
//   charts/rasa/templates/rasa/persistence.yaml: with `rasa.persistence.create` (Studio's values set it true)
//   the chart makes the claim `rasa-pro-data-pvc-<namespace>`, access mode ReadWriteOnce;
//   charts/rasa/templates/helpers/_containers-volumes.tpl: volume `model-data` from that claim, mounted at
//   `/app/working-data` in the `rasa` container.
// - RasaHQ/rasa-helm-charts tag studio-2.6.0, charts/studio/values.yaml: the model service runs
//   `python -m rasa.model_service` with `strategy: Recreate` and `podSecurityContext.fsGroup: 1001`.
// - RasaHQ/rasa (Rasa Pro sources), rasa/model_manager/config.py (commit 2639d40): the working directory is
//   `RASA_MODEL_SERVER_BASE_DIRECTORY`, default `working-data` (relative to the image's /app, hence the mount);
//   rasa/model_manager/utils.py: models live in `<working dir>/models`; trainer_service.py: each model is
//   `<model name>.tar.gz`, moved there after training (with remote storage too, `--keep-local-model-copy`);
//   `trainings/`, `caches/`, `bots/` and `logs/` beside it are scratch space, not models.
// - RasaHQ/rasa rasa/model_manager/runner_service.py (commit 1f378e1): with RASA_REMOTE_STORAGE set, a model
//   missing locally is fetched from remote storage by its file name `<model name>.tar.gz`;
//   rasa/core/persistor.py (commit 1b1d2bf and later): the AWS persistor reads object key `<model name>.tar.gz`
//   at the bucket root, or `<REMOTE_STORAGE_PATH>/<model name>.tar.gz` when that (deprecated) variable is set.
//   So the copy puts each `models/<name>.tar.gz` at key `<prefix><name>.tar.gz`, prefix usually empty.
import type { V1Container, V1Deployment, V1EnvVar, V1Toleration } from "@kubernetes/client-node";

/** The chart's working-data mount and the model service's default working directory under /app. */
export const CHART_WORKING_DATA_MOUNT = "/app/working-data";
export const MODEL_SERVICE_WORKDIR = "/app";
export const DEFAULT_BASE_DIRECTORY = "working-data";

/** `rasa-pro-data-pvc-<namespace>`: the claim the Rasa Pro subchart creates for the model service. */
export function chartModelClaimName(namespace: string): string {
  return `rasa-pro-data-pvc-${namespace}`;
}

export interface ModelVolume {
  claimName: string;
  /** Directory of the models inside the claim (`models` for the chart's layout). */
  modelsPathInClaim: string;
  /** Labels of the model service's pods, to run the copy on the same node (the claim is ReadWriteOnce). */
  podLabels: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  serviceAccountName?: string;
  /** `REMOTE_STORAGE_PATH` from the model service's env, when set: the key prefix Rasa reads. */
  remoteStoragePath?: string;
}

function envOf(c: V1Container, name: string): V1EnvVar | undefined {
  return c.env?.find((e) => e.name === name);
}

/**
 * Reads the models' claim from the model service deployment: the volume mounted where the working directory is.
 * Returns why not when the deployment does not keep models on a claim (already on S3, an emptyDir, a custom layout).
 */
export function findModelVolume(d: V1Deployment): { ok: true; volume: ModelVolume } | { ok: false; why: string } {
  const spec = d.spec?.template.spec;
  const name = d.metadata?.name ?? "the model service";
  const container = spec?.containers.find((c) => c.name === "rasa") ?? spec?.containers[0];
  if (!spec || !container) return { ok: false, why: `${name} has no containers` };
  const base = envOf(container, "RASA_MODEL_SERVER_BASE_DIRECTORY")?.value ?? DEFAULT_BASE_DIRECTORY;
  const workDir = (base.startsWith("/") ? base : `${MODEL_SERVICE_WORKDIR}/${base}`).replace(/\/+$/, "");
  // The mount that holds the working directory: the longest mount path that is it or one of its parents.
  const mounts = (container.volumeMounts ?? [])
    .filter((m) => workDir === m.mountPath.replace(/\/+$/, "") || workDir.startsWith(`${m.mountPath.replace(/\/+$/, "")}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length);
  const mount = mounts[0];
  if (!mount) return { ok: false, why: `${name} mounts nothing at ${workDir}: its models are not on a persistent volume` };
  const volume = spec.volumes?.find((v) => v.name === mount.name);
  const claimName = volume?.persistentVolumeClaim?.claimName;
  if (!claimName) return { ok: false, why: `${name} keeps ${workDir} on volume ${mount.name}, which is not a persistent volume claim` };
  const inMount = workDir.slice(mount.mountPath.replace(/\/+$/, "").length).replace(/^\/+/, "");
  const modelsPathInClaim = [mount.subPath, inMount, "models"].filter(Boolean).join("/");
  return {
    ok: true,
    volume: {
      claimName,
      modelsPathInClaim,
      podLabels: { ...(d.spec?.selector?.matchLabels ?? {}) },
      nodeSelector: spec.nodeSelector,
      tolerations: spec.tolerations,
      serviceAccountName: spec.serviceAccountName,
      remoteStoragePath: envOf(container, "REMOTE_STORAGE_PATH")?.value,
    },
  };
}

/** The S3 key the model service reads for a model file (see the persistor notes above). */
export function modelObjectKey(fileName: string, remoteStoragePath?: string): string {
  const prefix = remoteStoragePath ? `${remoteStoragePath.replace(/^\/+|\/+$/g, "")}/` : "";
  return `${prefix}${fileName}`;
}
