"use client";

import { useEffect } from "react";

/**
 * Registers public/sw.js (the offline page; it caches nothing else) once the page has loaded.
 * Production only: in development a worker would outlive code changes.
 */
export function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // No worker, no offline page: everything else works as before.
    });
  }, []);
  return null;
}
