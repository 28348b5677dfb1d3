import { coachProcedure, router } from "../trpc/init";
import { addExercise, deleteExercise, updateExercise } from "./exercises";
import {
  archiveProgram,
  createProgram,
  duplicateProgram,
  publishProgram,
  setCatalogPosition,
  updateProgram,
} from "./lifecycle";
import {
  addModule,
  addStep,
  deleteModule,
  deleteStep,
  moveStep,
  updateModule,
  updateStep,
} from "./outline";
import { getProgram, listPrograms } from "./read";
import { reorder } from "./reorder";
import {
  addExerciseInput,
  addModuleInput,
  addStepInput,
  catalogPositionInput,
  createProgramInput,
  idInput,
  moveStepInput,
  programIdInput,
  reorderInput,
  updateExerciseInput,
  updateModuleInput,
  updateProgramInput,
  updateStepInput,
} from "./schemas";

/** Coach authoring; ownership is checked in the service (NOT_FOUND for others' programs). */
export const programsRouter = router({
  list: coachProcedure.query(({ ctx }) => listPrograms(ctx.db, ctx.user)),
  get: coachProcedure
    .input(programIdInput)
    .query(({ ctx, input }) => getProgram(ctx.db, ctx.user, input.id)),
  create: coachProcedure
    .input(createProgramInput)
    .mutation(({ ctx, input }) => createProgram(ctx.db, ctx.user, input.title)),
  update: coachProcedure
    .input(updateProgramInput)
    .mutation(({ ctx, input }) => updateProgram(ctx.db, ctx.user, input)),
  setCatalogPosition: coachProcedure
    .input(catalogPositionInput)
    .mutation(({ ctx, input }) => setCatalogPosition(ctx.db, ctx.user, input)),
  publish: coachProcedure
    .input(programIdInput)
    .mutation(({ ctx, input }) => publishProgram(ctx.db, ctx.user, input.id)),
  archive: coachProcedure
    .input(programIdInput)
    .mutation(({ ctx, input }) => archiveProgram(ctx.db, ctx.user, input.id, true)),
  unarchive: coachProcedure
    .input(programIdInput)
    .mutation(({ ctx, input }) => archiveProgram(ctx.db, ctx.user, input.id, false)),
  duplicate: coachProcedure
    .input(programIdInput)
    .mutation(({ ctx, input }) => duplicateProgram(ctx.db, ctx.user, input.id)),

  addModule: coachProcedure
    .input(addModuleInput)
    .mutation(({ ctx, input }) => addModule(ctx.db, ctx.user, input)),
  updateModule: coachProcedure
    .input(updateModuleInput)
    .mutation(({ ctx, input }) => updateModule(ctx.db, ctx.user, input)),
  deleteModule: coachProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => deleteModule(ctx.db, ctx.user, input.id)),

  addStep: coachProcedure
    .input(addStepInput)
    .mutation(({ ctx, input }) => addStep(ctx.db, ctx.user, input)),
  updateStep: coachProcedure
    .input(updateStepInput)
    .mutation(({ ctx, input }) => updateStep(ctx.db, ctx.user, input)),
  moveStep: coachProcedure
    .input(moveStepInput)
    .mutation(({ ctx, input }) => moveStep(ctx.db, ctx.user, input.id, input.moduleId)),
  deleteStep: coachProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => deleteStep(ctx.db, ctx.user, input.id)),

  addExercise: coachProcedure
    .input(addExerciseInput)
    .mutation(({ ctx, input }) => addExercise(ctx.db, ctx.user, input)),
  updateExercise: coachProcedure
    .input(updateExerciseInput)
    .mutation(({ ctx, input }) => updateExercise(ctx.db, ctx.user, input)),
  deleteExercise: coachProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => deleteExercise(ctx.db, ctx.user, input.id)),

  reorder: coachProcedure
    .input(reorderInput)
    .mutation(({ ctx, input }) => reorder(ctx.db, ctx.user, input)),
});
