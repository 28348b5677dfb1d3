import { router } from "../trpc/init";

export const practicesRouter = router({});
