import { handleTrpcRequest } from "@/server/trpc/http";

function handler(request: Request) {
  return handleTrpcRequest(request);
}

export { handler as GET, handler as POST };
