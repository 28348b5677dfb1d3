import { router } from "../trpc/init";

export const commitmentsRouter = router({});
