import { redirect } from "next/navigation";
import { requireUser } from "@/server/auth/guard";

// After sign-in everyone lands here and goes on to their own area.
export default async function DashboardRedirect() {
  const user = await requireUser("/dashboard");
  redirect(user.role === "ADMIN" ? "/admin" : user.role === "COACH" ? "/coach" : "/app");
}
