import { router } from "../trpc/init";

export const playerRouter = router({});
