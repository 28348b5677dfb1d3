-- Uploaded files move from one instance's folder (UPLOAD_DIR) into the database, so that several
-- web instances behind a proxy all serve every upload. Covers from the folder are copied in at
-- start (src/server/uploads/import-folder.ts), keeping their names and so their URLs.
CREATE TABLE "Upload" (
    "name" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "uploaderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("name")
);

-- Images are already compressed: store them out of line without another compression attempt.
ALTER TABLE "Upload" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;

CREATE INDEX "Upload_uploaderId_idx" ON "Upload"("uploaderId");

ALTER TABLE "Upload" ADD CONSTRAINT "Upload_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
