import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { ServiceWorker } from "@/components/shell/ServiceWorker";
import { fraunces, inter } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Kindred", template: "%s · Kindred" },
  description: "Coached reflection programs for building your community, on purpose.",
  // public/: the web app manifest (installs on a phone's home screen) and the icons.
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/icon.svg", type: "image/svg+xml" },
      { url: "/icon-192.png", type: "image/png", sizes: "192x192" },
    ],
    apple: [{ url: "/apple-touch-icon.png", sizes: "180x180" }],
  },
  appleWebApp: { capable: true, title: "Kindred", statusBarStyle: "default" },
};

export const viewport: Viewport = { themeColor: "#2f6b5e", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={`${inter.variable} ${fraunces.variable}`}>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-card focus:px-4 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        {/* No client providers here: public pages ship only what they use (the tRPC client and
            its query cache come with the signed-in shell, and with the sign-in form). */}
        {children}
        <ServiceWorker />
      </body>
    </html>
  );
}
