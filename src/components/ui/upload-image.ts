/** Sends one image to /api/uploads (covers, avatars): its URL, or the message to show. */
export async function uploadImage(file: File): Promise<{ url: string } | { error: string }> {
  try {
    const body = new FormData();
    body.set("file", file);
    const response = await fetch("/api/uploads", { method: "POST", body });
    const data = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
    if (!response.ok || !data.url) return { error: data.error ?? "The upload failed. Try again." };
    return { url: data.url };
  } catch {
    return { error: "We could not reach Kindred. Check your connection." };
  }
}
