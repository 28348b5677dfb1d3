import { Brand } from "@/components/shell/Brand";
import Link from "@/components/ui/Link";
import { buttonClass } from "@/components/ui/styles";

export default function NotFound() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-16"
    >
      <Brand />
      <h1 className="mt-8 font-serif text-3xl">We could not find that page</h1>
      <p className="mt-3 text-muted">It may have moved, or it is not available to your account.</p>
      <p className="mt-6">
        <Link href="/dashboard" className={buttonClass("primary")}>
          Go to your space
        </Link>
      </p>
    </main>
  );
}
