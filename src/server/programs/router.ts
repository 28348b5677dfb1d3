import { router } from "../trpc/init";

export const programsRouter = router({});
