import { router } from "../trpc/init";

export const communityRouter = router({});
