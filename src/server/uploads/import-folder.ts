import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db";
import { IMAGE_TYPES, MAX_UPLOAD_BYTES, sniffImage, UPLOAD_NAME } from "./images";
import { type UploadStore, uploadStore } from "./store";

export type FolderImport = { imported: string[]; skipped: { name: string; reason: string }[] };

/**
 * Copies covers that earlier versions wrote to a folder (UPLOAD_DIR) into the store, under the
 * same names, so the `/api/uploads/<name>` URLs saved on programs keep working. Idempotent:
 * names already stored are left alone, so it runs at every start and costs a directory listing
 * once done. The folder is only read; files that were never a valid upload are reported.
 */
export async function importUploadFolder(store: UploadStore, dir: string): Promise<FolderImport> {
  const result: FolderImport = { imported: [], skipped: [] };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return result;
    throw error;
  }
  for (const name of names.sort()) {
    const match = UPLOAD_NAME.exec(name);
    const file = path.join(/* turbopackIgnore: true */ dir, name);
    const info = await stat(file);
    if (!info.isFile()) continue;
    if (!match) {
      result.skipped.push({ name, reason: "not an upload name" });
      continue;
    }
    if (info.size === 0 || info.size > MAX_UPLOAD_BYTES) {
      result.skipped.push({ name, reason: "empty or larger than 2 MB" });
      continue;
    }
    if (await store.stat(name)) continue;
    const bytes = new Uint8Array(await readFile(file));
    const ext = sniffImage(bytes);
    if (!ext || ext !== match[1]) {
      result.skipped.push({ name, reason: "content is not the image its name says" });
      continue;
    }
    const created = await store.put({
      name,
      contentType: IMAGE_TYPES[ext],
      bytes,
      uploaderId: null,
      createdAt: info.mtime,
    });
    if (created) result.imported.push(name);
  }
  return result;
}

/** The folder earlier versions stored covers in: UPLOAD_DIR, by default `.data/uploads`. */
export function legacyUploadDir(source: Record<string, string | undefined> = process.env): string {
  return path.resolve(
    /* turbopackIgnore: true */ source.UPLOAD_DIR ??
      path.join(source.KINDRED_DATA_DIR ?? ".data", "uploads"),
  );
}

/** Run at start by the launcher and by `npm run db:migrate`, after the migrations. */
export async function importLegacyUploads(db: Db, log: (line: string) => void): Promise<void> {
  const dir = legacyUploadDir();
  const { imported, skipped } = await importUploadFolder(uploadStore(db), dir);
  if (imported.length)
    log(
      `copied ${imported.length} uploaded file(s) from ${dir} into the database; the folder is no longer used`,
    );
  for (const { name, reason } of skipped) log(`not copied from ${dir}: ${name} (${reason})`);
}
