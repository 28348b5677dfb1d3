import { router } from "../trpc/init";

export const coachingRouter = router({});
