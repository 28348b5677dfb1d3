-- Profiles: a short bio next to the name and avatar (User.image) that cohort members see.
ALTER TABLE "User" ADD COLUMN "bio" TEXT NOT NULL DEFAULT '';
