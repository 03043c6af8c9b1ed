// The files to upload from a folder on the console's machine (models copied out with `kubectl cp`, or the volume
// mounted). `models` takes the model service's layout: the `*.tar.gz` files directly in the folder, each to the
// key the model service reads (`<prefix><file name>`, see lib/k8s/model-volume.ts); `all` takes every file below
// the folder, keyed by its relative path. Symbolic links are not followed, so nothing outside the folder is read.
import fs from "node:fs";
import path from "node:path";

export type FolderLayout = "models" | "all";

export interface LocalFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the folder, `/`-separated. */
  relative: string;
  size: number;
}

export async function listUploadFiles(folder: string, layout: FolderLayout = "models"): Promise<LocalFile[]> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(folder);
  } catch {
    throw new Error(`folder "${folder}" does not exist or cannot be read`);
  }
  if (!stat.isDirectory()) throw new Error(`folder "${folder}" is not a directory`);
  const root = path.resolve(folder);
  const out: LocalFile[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (layout === "all") await walk(full);
      } else if (entry.isFile() && (layout === "all" || entry.name.endsWith(".tar.gz"))) {
        out.push({ path: full, relative: path.relative(root, full).split(path.sep).join("/"), size: (await fs.promises.stat(full)).size });
      }
    }
  };
  await walk(root);
  return out.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
