import type { Metadata } from "next";
import { SignInView } from "@/components/public/SignInView";
import { flavourParams } from "../flavours";

export const metadata: Metadata = { title: "Sign in" };

/** `/signin` for an anonymous visitor with no return path: see ../page.tsx. */
export const dynamicParams = false;
export const generateStaticParams = flavourParams;

type Props = { params: Promise<{ flavour: string }> };

export default async function PrerenderedSignIn({ params }: Props) {
  const { flavour } = await params;
  return <SignInView signedOut={false} demo={flavour === "demo"} />;
}
