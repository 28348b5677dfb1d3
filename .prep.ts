import { prepareBenchDatabase } from "./scripts/bench/prepare";

prepareBenchDatabase("kindred_bench_profile", { members: 2000, answers: 50 }).then(() =>
  process.exit(0),
);
